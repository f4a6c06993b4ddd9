import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import type { ResolvedEvent } from '@kairos/contracts';
import { handleOnce } from '@kairos/messaging';
import { OutboxRelay, ProcessedEvents } from '@kairos/persistence';
import { applyEvent } from '@kairos/segmentation/domain';
import { DataSource } from 'typeorm';
import { ComputedTraitsRepository } from './computed-traits.repository';
import { HotCopyService } from './hot-copy.service';
import { MergedProfileRepository } from './merged-profile.repository';
import { ProfileEvaluator } from './profile-evaluator';
import { SegmentCatalog } from './segment-catalog.service';

/** Inbox name for resolved events (event ids of other topics live in other id spaces). */
export const RESOLVED_EVENTS_CONSUMER = 'segmentation/events.resolved.v1';

/** What a handler did: applied it, saw it before, or deliberately did nothing (logged). */
export type SegmentationOutcome = 'handled' | 'duplicate' | 'ignored';

/**
 * Fold one resolved event into the profile's traits (domain `applyEvent`, counting what the
 * active definitions' `performed` conditions need), re-evaluate its segments, and announce the
 * memberships that changed.
 *
 * One transaction holds: the event-id claim, the traits row (locked), the membership and
 * history rows and the outbox rows. So a redelivered event is a no-op, and entered/exited is
 * announced exactly when the membership row changes, never twice and never lost. Redis is
 * rewritten after the commit (it is a cache of these rows).
 *
 * An event for a profile that was merged away (it can arrive after the merge: topics are not
 * ordered with each other) is applied to the survivor, where that person's traits now live.
 */
@Injectable()
export class ApplyResolvedEventUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly processed: ProcessedEvents,
    private readonly relay: OutboxRelay,
    private readonly traits: ComputedTraitsRepository,
    private readonly mergedProfiles: MergedProfileRepository,
    private readonly catalog: SegmentCatalog,
    private readonly evaluator: ProfileEvaluator,
    private readonly hotCopy: HotCopyService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(event: ResolvedEvent): Promise<SegmentationOutcome> {
    const result = await this.dataSource.transaction((manager) =>
      handleOnce(
        () => this.processed.claim(manager, RESOLVED_EVENTS_CONSUMER, event.eventId),
        async () => {
          const profileId =
            (await this.mergedProfiles.survivorOf(manager, event.profileId)) ?? event.profileId;
          const now = this.clock.now();
          const { program } = await this.catalog.current(manager);
          const stored = await this.traits.lockOrCreate(manager, profileId, now);
          const traits = applyEvent(stored.traits, event, now.getTime(), {
            counters: program.counterPlan,
          });
          const { messages } = await this.evaluator.apply(manager, program, {
            stored,
            traits,
            profile: stored.profile,
            profileVersion: stored.profileVersion,
            now,
            // A change happens when the event that caused it happened (the customer's timeline).
            at: new Date(event.timestamp),
            causeId: event.eventId,
          });
          return { profileId, messages };
        },
      ),
    );
    if (result.outcome === 'handled' && result.result.messages > 0) this.relay.kick();
    await this.hotCopy.refresh(
      result.outcome === 'handled' ? result.result.profileId : event.profileId,
    );
    return result.outcome;
  }
}
