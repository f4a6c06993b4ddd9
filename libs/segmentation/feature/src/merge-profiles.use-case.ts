import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import { mergeAnnouncementKind, type ProfilesMerged } from '@kairos/contracts';
import { PermanentError, handleOnce } from '@kairos/messaging';
import { OutboxRelay, ProcessedEvents } from '@kairos/persistence';
import { mergeTraits } from '@kairos/segmentation/domain';
import { DataSource, type EntityManager } from 'typeorm';
import type { SegmentationOutcome } from './apply-resolved-event.use-case';
import { ComputedTraitsRepository, type StoredTraits } from './computed-traits.repository';
import { HotCopyService } from './hot-copy.service';
import { MembershipRepository } from './membership.repository';
import { MergedProfileRepository } from './merged-profile.repository';
import { ProfileEvaluator } from './profile-evaluator';
import { SegmentCatalog } from './segment-catalog.service';

export const MERGES_CONSUMER = 'segmentation/identity.merges.v1';

/**
 * Move a merged-away profile's traits into the survivor (domain `mergeTraits`: counts, windows,
 * affinities and counters add up; carts combine), delete the merged row, leave a tombstone (its
 * late events go to the survivor), and re-evaluate. The merged profile exits all its segments
 * (it no longer exists, so whatever was waiting on it, e.g. a cart timer, must stop); the
 * survivor enters/exits by its combined traits. All in one transaction with the merge-id claim.
 *
 * Unmerge ('unmerge' kind) is IGNORED, with a log line: segmentation keeps the combined traits
 * on the survivor and the restored profile starts from nothing (its own ProfileChanged and later
 * events re-populate it). Splitting combined counters back apart needs the per-profile event
 * history, which this service does not keep; a replay of events.resolved.v1 is the repair.
 */
@Injectable()
export class MergeProfilesUseCase {
  private readonly logger = new Logger(MergeProfilesUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly processed: ProcessedEvents,
    private readonly relay: OutboxRelay,
    private readonly traits: ComputedTraitsRepository,
    private readonly memberships: MembershipRepository,
    private readonly mergedProfiles: MergedProfileRepository,
    private readonly catalog: SegmentCatalog,
    private readonly evaluator: ProfileEvaluator,
    private readonly hotCopy: HotCopyService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(merge: ProfilesMerged): Promise<SegmentationOutcome> {
    const { survivorProfileId: survivorId, mergedProfileId: mergedId, mergeId } = merge;
    if (mergeAnnouncementKind(merge) === 'unmerge') {
      this.logger.log(
        `unmerge of merge ${mergeId} ignored (survivor ${survivorId}, restored ${mergedId}): traits stay combined on the survivor`,
      );
      return 'ignored';
    }
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
          const now = this.clock.now();
          const at = new Date(merge.mergedAt);
          const context = { now, at, causeId: mergeId };
          const { program } = await this.catalog.current(manager);
          const { survivor, merged } = await this.lockBoth(manager, survivorId, mergedId, now);
          await this.mergedProfiles.record(manager, mergedId, survivorId, mergeId, at);
          if (!merged) return 0;
          let messages = await this.evaluator.exitSegments(
            manager,
            program,
            merged,
            await this.memberships.segmentIds(manager, mergedId),
            context,
          );
          await this.traits.delete(manager, mergedId);
          const result = await this.evaluator.apply(manager, program, {
            stored: survivor,
            traits: mergeTraits(survivor.traits, merged.traits),
            profile: survivor.profile,
            profileVersion: survivor.profileVersion,
            ...context,
          });
          messages += result.messages;
          return messages;
        },
      ),
    );
    if (result.outcome === 'handled' && result.result > 0) this.relay.kick();
    await this.hotCopy.refresh(survivorId, mergedId);
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
    now: Date,
  ): Promise<{ survivor: StoredTraits; merged: StoredTraits | undefined }> {
    if (survivorId < mergedId) {
      const survivor = await this.traits.lockOrCreate(manager, survivorId, now);
      return { survivor, merged: await this.traits.lock(manager, mergedId) };
    }
    const merged = await this.traits.lock(manager, mergedId);
    return { survivor: await this.traits.lockOrCreate(manager, survivorId, now), merged };
  }
}
