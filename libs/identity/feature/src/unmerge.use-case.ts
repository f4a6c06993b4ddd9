import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import { EventTypes, Topics, type ProfilesMerged } from '@kairos/contracts';
import { Outbox } from '@kairos/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import { BlockingKeyRepository } from './blocking-key.repository';
import { orderedPair, profileBlockingKeys } from './domain/profile-matching';
import { survivorStateAfterUnmerge } from './domain/unmerge-split';
import { IdentifierRepository } from './identifier.repository';
import { IdentityException, IdentityErrorCode } from './identity.exception';
import { IdentityOutboxRelay } from './identity-outbox.relay';
import { MatchReviewRepository } from './match-review.repository';
import { MergeRepository } from './merge.repository';
import { ProbabilisticMatchingService } from './probabilistic-matching.service';
import { ProfileRepository } from './profile.repository';
import { stateFromVersion, toProfileChanged, type Profile } from './profile-snapshot';
import { withConflictRetry } from './transaction-retry';

export interface UnmergeResult {
  mergeId: string;
  survivorProfileId: string;
  restoredProfileId: string;
  /** The identifiers moved back to the restored profile. */
  identifiers: { type: string; value: string }[];
  survivorVersion: number;
  restoredVersion: number;
}

/**
 * Undo a wrong merge, in one transaction:
 *
 *   lock the merge row (two operators cannot both revert it) → lock the moved identifiers, then
 *   both profile rows (the resolver's lock order: identifiers, then profiles) → re-create the
 *   merged profile under its old id from its last version (fields, traits, value times) → move
 *   back the identifiers the merge moved (those the survivor still holds) → take back from the
 *   survivor the values the merge brought in → both get a new version → the merge is marked
 *   'reverted' → both profiles' blocking keys → the pair recorded as a rejected match review
 *   (an operator said they are two people: probabilistic matching must not merge them again on
 *   the same evidence, and never automatically) → outbox: the unmerge announcement, then both
 *   ProfileChanged.
 *
 * The announcement goes first so the hot copy (and downstream) see the profile return before
 * its new state. A merge whose survivor was later merged away itself cannot be undone before
 * that later merge is (the identifiers are then on a third profile).
 */
@Injectable()
export class UnmergeUseCase {
  private readonly log = new Logger(UnmergeUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly identifiers: IdentifierRepository,
    private readonly profiles: ProfileRepository,
    private readonly merges: MergeRepository,
    private readonly blockingKeys: BlockingKeyRepository,
    private readonly reviews: MatchReviewRepository,
    private readonly matching: ProbabilisticMatchingService,
    private readonly relay: IdentityOutboxRelay,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(mergeId: string, reason: string | null = null): Promise<UnmergeResult> {
    const result = await withConflictRetry(`unmerge ${mergeId}`, () =>
      this.dataSource.transaction((manager) => this.unmerge(manager, mergeId, reason)),
    );
    this.relay.kick();
    this.log.log(
      `merge ${mergeId} reverted: profile ${result.restoredProfileId} restored from ${result.survivorProfileId}`,
    );
    return result;
  }

  private async unmerge(
    manager: EntityManager,
    mergeId: string,
    reason: string | null,
  ): Promise<UnmergeResult> {
    const merge = await this.merges.lock(manager, mergeId);
    if (!merge)
      throw new IdentityException(
        IdentityErrorCode.MergeNotFound,
        `merge ${mergeId} does not exist`,
      );
    if (merge.status === 'reverted') {
      throw new IdentityException(
        IdentityErrorCode.MergeAlreadyReverted,
        `merge ${mergeId} was already reverted at ${merge.revertedAt?.toISOString() ?? 'an earlier time'}`,
      );
    }
    const { survivorProfileId: survivorId, mergedProfileId: mergedId } = merge;
    await this.identifiers.lock(manager, [...merge.identifiers].sort(byKey));
    const locked = await this.profiles.lock(manager, [survivorId, mergedId]);
    const current = locked.find((p) => p.id === survivorId);
    if (!current) {
      const later = await this.merges.appliedMergeOf(manager, survivorId);
      throw new IdentityException(
        IdentityErrorCode.SurvivorMergedAway,
        later
          ? `profile ${survivorId} was merged into ${later.survivorProfileId} by merge ${later.id}; unmerge that merge first`
          : `the survivor profile ${survivorId} no longer exists`,
      );
    }
    if (locked.some((p) => p.id === mergedId))
      throw new Error(`merge ${mergeId} is applied but profile ${mergedId} exists`);

    const mergedLast = await this.profiles.version(manager, mergedId);
    const mergedFirst = await this.profiles.version(manager, mergedId, 1);
    if (!mergedLast) {
      throw new IdentityException(
        IdentityErrorCode.NoSnapshot,
        `profile ${mergedId} has no stored version to restore it from`,
      );
    }
    const survivorBefore =
      merge.survivorVersionBefore === null
        ? null
        : await this.profiles.version(manager, survivorId, merge.survivorVersionBefore);

    const now = this.clock.now();
    const mergedState = stateFromVersion(mergedLast.snapshot, mergedLast.fieldTimes);
    const restored: Profile = {
      id: mergedId,
      version: mergedLast.version + 1,
      state: mergedState,
      createdAt: mergedFirst?.createdAt ?? mergedLast.createdAt,
      updatedAt: now,
    };
    await this.profiles.insert(manager, restored);
    const moved = await this.identifiers.move(manager, merge.identifiers, survivorId, mergedId);

    const survivor: Profile = {
      ...current,
      version: current.version + 1,
      updatedAt: now,
      state: survivorStateAfterUnmerge(
        current.state,
        survivorBefore?.fieldTimes
          ? stateFromVersion(survivorBefore.snapshot, survivorBefore.fieldTimes)
          : undefined,
        mergedState,
      ),
    };
    await this.profiles.update(manager, survivor);
    await this.merges.markReverted(manager, mergeId, now, reason);
    for (const profile of [survivor, restored])
      await this.blockingKeys.replace(
        manager,
        profile.id,
        profileBlockingKeys(profile.id, profile.state),
      );
    const [profileA, profileB] = orderedPair(survivorId, mergedId);
    await this.reviews.closeOpen(manager, profileA, profileB, 'rejected', now);
    await this.reviews.insertRejected(manager, {
      id: randomUUID(),
      profileA,
      profileB,
      ...this.matching.summarize(survivor, restored),
      at: now,
    });

    const cause = `unmerge:${mergeId}`;
    const snapshots = [];
    for (const profile of [survivor, restored]) {
      const snapshot = toProfileChanged(
        profile,
        await this.identifiers.listForProfile(manager, profile.id),
      );
      await this.profiles.addVersion(manager, snapshot, profile.state.fieldTimes, cause, now);
      snapshots.push(snapshot);
    }

    const announcement: ProfilesMerged = {
      mergeId,
      survivorProfileId: survivorId,
      mergedProfileId: mergedId,
      rule: merge.rule,
      evidenceEventId: merge.evidenceEventId,
      mergedAt: merge.mergedAt.toISOString(),
      kind: 'unmerge',
      unmergedAt: now.toISOString(),
    };
    await this.outbox.add(manager, Topics.IdentityMerges, [
      {
        key: survivorId,
        value: announcement,
        type: EventTypes.ProfilesMerged,
        id: `${mergeId}:unmerge`,
      },
    ]);
    await this.outbox.add(
      manager,
      Topics.ProfileChanges,
      snapshots.map((snapshot) => ({
        key: snapshot.profileId,
        value: snapshot,
        type: EventTypes.ProfileChanged,
        id: `${snapshot.profileId}:v${snapshot.version}`,
      })),
    );
    return {
      mergeId,
      survivorProfileId: survivorId,
      restoredProfileId: mergedId,
      identifiers: moved.map(({ type, value }) => ({ type, value })),
      survivorVersion: survivor.version,
      restoredVersion: restored.version,
    };
  }
}

function byKey(a: { type: string; value: string }, b: { type: string; value: string }): number {
  if (a.type !== b.type) return a.type < b.type ? -1 : 1;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}
