import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import { Topics, type ProfilesMerged } from '@kairos/contracts';
import { PermanentError, handleOnce } from '@kairos/messaging';
import { Outbox, OutboxRelay, ProcessedEvents } from '@kairos/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import type { SegmentationOutcome } from './apply-resolved-event.use-case';
import { ComputedTraitsRepository, type StoredTraits } from './computed-traits.repository';
import { HotCopyService } from './hot-copy.service';
import { membershipMessages } from './membership-messages';
import { MembershipRepository } from './membership.repository';
import { mergeTraits } from './merge-traits';
import { diffMemberships, evaluateSegments } from './segment-rules';

export const MERGES_CONSUMER = 'segmentation/identity.merges.v1';

/**
 * Move a merged-away profile's traits into the survivor: combine them (merge-traits.ts), delete
 * the merged row, and re-evaluate segments. The merged profile exits all its segments (it no
 * longer exists, so whatever was waiting on it, e.g. a cart timer, must stop), and the survivor
 * enters/exits by its combined traits. All in one transaction with the merge-id claim.
 */
@Injectable()
export class MergeProfilesUseCase {
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

  async execute(merge: ProfilesMerged): Promise<SegmentationOutcome> {
    const { survivorProfileId: survivorId, mergedProfileId: mergedId, mergeId } = merge;
    if (survivorId === mergedId) {
      // Merging a profile into itself would double its counters; identity never means that.
      throw new PermanentError(
        'INVALID_MERGE',
        `merge ${mergeId} merges profile ${survivorId} into itself`,
      );
    }
    const result = await this.dataSource.transaction((manager) =>
      handleOnce(
        () => this.processed.claim(manager, MERGES_CONSUMER, mergeId),
        async () => {
          const { survivor, merged } = await this.lockBoth(manager, survivorId, mergedId);
          if (!merged) return 0;
          const now = this.clock.now();
          const at = new Date(merge.mergedAt);
          const combined = mergeTraits(survivor.traits, merged.traits);
          await this.traits.save(manager, survivor, combined, now);

          const mergedSegments = await this.memberships.segmentIds(manager, mergedId);
          await this.memberships.exit(manager, mergedId, mergedSegments);
          await this.traits.delete(manager, mergedId);

          const diff = diffMemberships(
            await this.memberships.segmentIds(manager, survivorId),
            evaluateSegments(combined),
          );
          await this.memberships.exit(manager, survivorId, diff.exited);
          await this.memberships.enter(manager, survivorId, diff.entered, at);

          const messages = [
            ...membershipMessages(mergedId, { entered: [], exited: mergedSegments }, at, mergeId),
            ...membershipMessages(survivorId, diff, at, mergeId),
          ];
          await this.outbox.add(manager, Topics.SegmentMemberships, messages);
          return messages.length;
        },
      ),
    );
    if (result.outcome === 'handled' && result.result > 0) this.relay.kick();
    await this.hotCopy.refresh(survivorId);
    await this.hotCopy.refresh(mergedId);
    return result.outcome;
  }

  /**
   * Lock both rows in profile-id order, so two transactions touching the same pair can never
   * deadlock. The survivor row is created if missing; the merged one may not exist (nothing to
   * move then).
   */
  private async lockBoth(
    manager: EntityManager,
    survivorId: string,
    mergedId: string,
  ): Promise<{ survivor: StoredTraits; merged: StoredTraits | undefined }> {
    const now = this.clock.now();
    if (survivorId < mergedId) {
      const survivor = await this.traits.lockOrCreate(manager, survivorId, now);
      return { survivor, merged: await this.traits.lock(manager, mergedId) };
    }
    const merged = await this.traits.lock(manager, mergedId);
    return { survivor: await this.traits.lockOrCreate(manager, survivorId, now), merged };
  }
}
