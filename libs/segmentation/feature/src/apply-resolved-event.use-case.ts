import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import { Topics, type ResolvedEvent } from '@kairos/contracts';
import { handleOnce } from '@kairos/messaging';
import { Outbox, OutboxRelay, ProcessedEvents } from '@kairos/persistence';
import { DataSource } from 'typeorm';
import { ComputedTraitsRepository } from './computed-traits.repository';
import { HotCopyService } from './hot-copy.service';
import { membershipMessages } from './membership-messages';
import { MembershipRepository } from './membership.repository';
import { diffMemberships, evaluateSegments } from './segment-rules';
import { applyEvent } from './traits-reducer';

/** Inbox name for resolved events (event ids of other topics live in other id spaces). */
export const RESOLVED_EVENTS_CONSUMER = 'segmentation/events.resolved.v1';

export type SegmentationOutcome = 'handled' | 'duplicate';

/**
 * Fold one resolved event into the profile's traits, re-evaluate the segments, and announce
 * the memberships that changed.
 *
 * One transaction holds: the event-id claim, the traits row (locked), the membership rows and
 * the outbox rows. So a redelivered event is a no-op, and "entered"/"exited" is announced
 * exactly when the membership row changes, never twice and never lost. Redis is rewritten
 * after the commit (it is a cache of these rows).
 */
@Injectable()
export class ApplyResolvedEventUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly processed: ProcessedEvents,
    private readonly outbox: Outbox,
    private readonly relay: OutboxRelay,
    private readonly traits: ComputedTraitsRepository,
    private readonly memberships: MembershipRepository,
    private readonly hotCopy: HotCopyService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(event: ResolvedEvent): Promise<SegmentationOutcome> {
    const result = await this.dataSource.transaction((manager) =>
      handleOnce(
        () => this.processed.claim(manager, RESOLVED_EVENTS_CONSUMER, event.eventId),
        async () => {
          const now = this.clock.now();
          const stored = await this.traits.lockOrCreate(manager, event.profileId, now);
          const next = applyEvent(stored.traits, event);
          await this.traits.save(manager, stored, next, now);

          const diff = diffMemberships(
            await this.memberships.segmentIds(manager, event.profileId),
            evaluateSegments(next),
          );
          // A change happens when the event that caused it happened (the customer's timeline).
          const at = new Date(event.timestamp);
          await this.memberships.exit(manager, event.profileId, diff.exited);
          await this.memberships.enter(manager, event.profileId, diff.entered, at);
          const messages = membershipMessages(event.profileId, diff, at, event.eventId);
          await this.outbox.add(manager, Topics.SegmentMemberships, messages);
          return messages.length;
        },
      ),
    );
    if (result.outcome === 'handled' && result.result > 0) this.relay.kick();
    await this.hotCopy.refresh(event.profileId);
    return result.outcome;
  }
}
