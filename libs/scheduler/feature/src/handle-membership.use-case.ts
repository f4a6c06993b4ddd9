import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import type { MembershipChanged } from '@kairos/contracts';
import { currentTraceHeaders, handleOnce } from '@kairos/messaging';
import { ProcessedEvents } from '@kairos/persistence';
import { DataSource } from 'typeorm';
import { activityTime } from './abandoned-cart.policy';
import { ArmingService } from './arming.service';
import { numberParam } from './domain/definition-params';
import { ProfileActivityRepository } from './profile-activity.repository';
import { TimerRepository } from './timer.repository';
import { TriggerDefinitionRepository } from './trigger-definition.repository';

export const MEMBERSHIP_CONSUMER = 'trigger-scheduler.segments';

/**
 * Segment-entered triggers: entering a segment starts every enabled definition bound to it
 * (after its `delayMs`, default 0); leaving the segment before the timer fires cancels it.
 * A membership change has no event id of its own; (profile, segment, change, time, cause)
 * identifies it for the inbox.
 */
@Injectable()
export class HandleMembershipUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ProcessedEvents) private readonly processed: ProcessedEvents,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly activity: ProfileActivityRepository,
    private readonly definitions: TriggerDefinitionRepository,
    private readonly timers: TimerRepository,
    private readonly arming: ArmingService,
  ) {}

  async execute(change: MembershipChanged): Promise<number | 'duplicate'> {
    const now = this.clock.now();
    const at = activityTime(change.at, now);
    const ctx = { now, traceHeaders: currentTraceHeaders() };
    const id = `${change.profileId}:${change.segmentId}:${change.change}:${change.at}:${change.causeId}`;
    const result = await this.dataSource.transaction((manager) =>
      handleOnce(
        () => this.processed.claim(manager, MEMBERSHIP_CONSUMER, id),
        async () => {
          await this.activity.lock(manager, change.profileId, now);
          const bound = await this.definitions.findEnabledForSegment(manager, change.segmentId);
          let changed = 0;
          for (const definition of bound) {
            if (change.change === 'exited') {
              if (
                await this.arming.cancel(
                  manager,
                  change.profileId,
                  definition.id,
                  `left segment ${change.segmentId}`,
                  now,
                )
              )
                changed += 1;
              continue;
            }
            if (await this.timers.findArmedForUpdate(manager, change.profileId, definition.id))
              continue;
            await this.arming.armOrMove(manager, {
              profileId: change.profileId,
              definitionId: definition.id,
              kind: 'segment_entered',
              dueAt: new Date(at.getTime() + numberParam(definition.params, 'delayMs', 0)),
              payload: { segmentId: change.segmentId },
              idempotencyKey: (timerId) =>
                `segment:${definition.id}:${change.profileId}:${timerId}`,
              reason: `entered segment ${change.segmentId}`,
              ...ctx,
            });
            changed += 1;
          }
          return changed;
        },
      ),
    );
    return result.outcome === 'duplicate' ? 'duplicate' : result.result;
  }
}
