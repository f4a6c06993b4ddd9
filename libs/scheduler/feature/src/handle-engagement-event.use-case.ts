import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import { SpecEvents, type ResolvedEvent } from '@kairos/contracts';
import { currentTraceHeaders, handleOnce } from '@kairos/messaging';
import { ProcessedEvents } from '@kairos/persistence';
import { DataSource } from 'typeorm';
import { activityTime } from './abandoned-cart.policy';
import { ArmingService } from './arming.service';
import { numberParam } from './domain/definition-params';
import { recordVisit } from './domain/engagement';
import { localParts, resolveTimeZone } from './domain/local-time';
import { ProfileActivityRepository } from './profile-activity.repository';
import { ProfileProjectionRepository } from './profile-projection.repository';
import { SCHEDULER_CONFIG, type SchedulerConfig } from './scheduler.config';
import { TriggerDefinitionRepository } from './trigger-definition.repository';
import { TriggerPlanner } from './trigger-planner.service';

/** The inbox name this use case claims resolved events under. */
export const ENGAGEMENT_CONSUMER = 'trigger-scheduler.engagement';

const D = 86_400_000;

/** What an event means for engagement-driven triggers, or undefined if nothing. */
export type EngagementSignal =
  | { kind: 'visit' }
  | { kind: 'purchase' }
  | { kind: 'open' }
  | { kind: 'bounce' }
  | { kind: 'consent'; status: 'subscribed' | 'unsubscribed' };

export function engagementSignalOf(
  event: Pick<ResolvedEvent, 'type' | 'event' | 'properties'>,
): EngagementSignal | undefined {
  if (event.type === 'page') return { kind: 'visit' };
  if (event.type !== 'track') return undefined;
  switch (event.event) {
    case SpecEvents.OrderCompleted:
      return { kind: 'purchase' };
    case SpecEvents.EmailOpened:
      return { kind: 'open' };
    case SpecEvents.EmailBounced:
      return { kind: 'bounce' };
    case SpecEvents.Unsubscribed:
      return { kind: 'consent', status: 'unsubscribed' };
    case SpecEvents.SubscriptionChanged: {
      const status = event.properties['status'];
      const channel = event.properties['channel'];
      if (channel !== undefined && channel !== 'email') return undefined;
      return status === 'subscribed' || status === 'unsubscribed'
        ? { kind: 'consent', status }
        : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The non-cart reactions to resolved events, one transaction per event (inbox claim, the
 * person's activity row locked first, then timers):
 *
 *  - page → a visit (re-engagement arms at ≥ 3 visits in 7 days without a purchase);
 *  - Order Completed → the purchase cancels an armed re-engagement;
 *  - Email Opened → an open in the person's local hour (send-time optimization) and the
 *    dormant timer re-armed 60 days out;
 *  - Email Bounced → the address is marked bounced (the consent guard suppresses);
 *  - Subscription Changed / Unsubscribed → the consent event (the guard reads the newer of it
 *    and the profile projection); a subscription starts the welcome.
 */
@Injectable()
export class HandleEngagementEventUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ProcessedEvents) private readonly processed: ProcessedEvents,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
    private readonly activity: ProfileActivityRepository,
    private readonly profiles: ProfileProjectionRepository,
    private readonly definitions: TriggerDefinitionRepository,
    private readonly arming: ArmingService,
    private readonly planner: TriggerPlanner,
  ) {}

  async execute(event: ResolvedEvent): Promise<EngagementSignal['kind'] | 'skipped' | 'duplicate'> {
    const signal = engagementSignalOf(event);
    if (!signal) return 'skipped';
    const now = this.clock.now();
    const at = activityTime(event.timestamp, now);
    const ctx = { now, traceHeaders: currentTraceHeaders() };
    const result = await this.dataSource.transaction((manager) =>
      handleOnce(
        () => this.processed.claim(manager, ENGAGEMENT_CONSUMER, event.eventId),
        async () => {
          const row = await this.activity.lock(manager, event.profileId, now);
          row.updatedAt = now;
          switch (signal.kind) {
            case 'visit': {
              const definition = await this.definitions.findById(manager, 're_engagement');
              const params = definition?.params ?? {};
              row.visits = recordVisit(row.visits, at, now, {
                windowMs: numberParam(params, 'windowDays', 7) * D,
                sessionGapMs: numberParam(params, 'sessionGapMinutes', 30) * 60_000,
              });
              await this.activity.save(manager, row);
              await this.planner.planReEngagement(manager, row, ctx);
              break;
            }
            case 'purchase':
              if (!row.lastPurchaseAt || at > row.lastPurchaseAt) row.lastPurchaseAt = at;
              await this.activity.save(manager, row);
              await this.arming.cancel(
                manager,
                event.profileId,
                're_engagement',
                'order completed',
                now,
              );
              break;
            case 'open': {
              const profile = (await this.profiles.findMany(manager, [event.profileId])).get(
                event.profileId,
              );
              const zone = resolveTimeZone(profile?.timezone, this.config.defaultTimeZone);
              const hours = [...row.openHours];
              hours[localParts(at, zone).hour] = (hours[localParts(at, zone).hour] ?? 0) + 1;
              row.openHours = hours;
              if (!row.lastOpenAt || at > row.lastOpenAt) row.lastOpenAt = at;
              await this.activity.save(manager, row);
              await this.planner.planDormant(manager, event.profileId, row.lastOpenAt, ctx);
              break;
            }
            case 'bounce':
              row.bouncedAt = at;
              await this.activity.save(manager, row);
              break;
            case 'consent': {
              if (!row.consentAt || at >= row.consentAt) {
                row.consentStatus = signal.status;
                row.consentAt = at;
              }
              if (signal.status === 'subscribed') row.subscribedAt = at;
              await this.activity.save(manager, row);
              if (signal.status === 'subscribed')
                await this.planner.planWelcome(
                  manager,
                  event.profileId,
                  at,
                  ctx,
                  'Subscription Changed',
                );
              break;
            }
          }
          return signal.kind;
        },
      ),
    );
    return result.outcome === 'duplicate' ? 'duplicate' : result.result;
  }
}
