import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventTypes, Topics, type ProfilesMerged } from '@kairos/contracts';
import { Outbox } from '@kairos/persistence';
import type { EntityManager } from 'typeorm';
import { BlockingKeyRepository } from './blocking-key.repository';
import { pairMergeRefusal } from './domain/guard-rails';
import { profileBlockingKeys } from './domain/profile-matching';
import { IdentifierRepository } from './identifier.repository';
import { IDENTITY_SETTINGS, type IdentitySettings } from './identity.config';
import { MergeRepository } from './merge.repository';
import { ProfileRepository } from './profile.repository';
import { toProfileChanged, type Profile } from './profile-snapshot';
import { mergeProfileStates } from './profile-state';
import { planResolution } from './resolution-plan';

export interface MergeAudit {
  rule: string;
  /** An event id, or what else caused the merge (`match-review:<id>`, `match-batch:<run>`). */
  evidenceEventId: string;
  now: Date;
}

export type PairMergeResult =
  | { outcome: 'merged'; mergeId: string; survivorId: string; mergedId: string; version: number }
  /** The guard rails refused it (audited in merge_refusals). */
  | { outcome: 'refused'; rule: string }
  /** One of the two no longer exists (merged away meanwhile). */
  | { outcome: 'gone'; profileId: string }
  /** Re-checked under lock, the pair no longer qualifies (`confirm` said no). */
  | { outcome: 'unconfirmed' };

/**
 * The one merge path of the identity graph. Identifier merges (ResolveEventUseCase) use
 * {@link fold}; whole-profile merges — probabilistic, or a review an operator accepted — use
 * {@link mergePair}, which adds the locking, guard rails and versioning an event's resolution
 * otherwise does around it. Either way a merge moves the identifiers, deletes the merged
 * profile, is audited in `merges` (reversible by UnmergeUseCase) and announced as
 * ProfilesMerged before the survivor's ProfileChanged.
 */
@Injectable()
export class ProfileMergeService {
  private readonly log = new Logger(ProfileMergeService.name);

  constructor(
    private readonly outbox: Outbox,
    private readonly identifiers: IdentifierRepository,
    private readonly profiles: ProfileRepository,
    private readonly merges: MergeRepository,
    private readonly blockingKeys: BlockingKeyRepository,
    @Inject(IDENTITY_SETTINGS) private readonly settings: IdentitySettings,
  ) {}

  /**
   * Fold `merged` into `survivor`: move its identifiers, delete it, audit the merge. The caller
   * holds both profile locks and writes the survivor's new state and version.
   */
  async fold(
    manager: EntityManager,
    survivor: Profile,
    merged: Profile,
    audit: MergeAudit & { survivorVersionBefore: number },
  ): Promise<ProfilesMerged> {
    const moved = await this.identifiers.reassign(manager, merged.id, survivor.id);
    await this.profiles.delete(manager, merged.id);
    const mergeId = randomUUID();
    await this.merges.record(manager, {
      id: mergeId,
      survivorProfileId: survivor.id,
      mergedProfileId: merged.id,
      rule: audit.rule,
      evidenceEventId: audit.evidenceEventId,
      identifiers: moved.map(({ type, value }) => ({ type, value })),
      mergedAt: audit.now,
      status: 'applied',
      survivorVersionBefore: audit.survivorVersionBefore,
      revertedAt: null,
      revertReason: null,
    });
    this.log.log(
      `profile ${merged.id} merged into ${survivor.id} (${audit.rule}, evidence ${audit.evidenceEventId})`,
    );
    return {
      mergeId,
      survivorProfileId: survivor.id,
      mergedProfileId: merged.id,
      rule: audit.rule,
      evidenceEventId: audit.evidenceEventId,
      mergedAt: audit.now.toISOString(),
      kind: 'merge',
    };
  }

  /**
   * Merge two existing profiles into the older one, in the caller's transaction:
   *
   *   lock both profiles' identifiers, then both profiles (the resolver's lock order:
   *   identifiers, then profiles in id order) → `confirm` on the locked rows (the caller's
   *   reason may be stale) → guard rails on the combined identifiers (a refusal is audited) →
   *   fold → the survivor's merged state as a new version → its blocking keys → outbox:
   *   ProfilesMerged, then the survivor's ProfileChanged.
   *
   * Identifier counts read after the profile locks are exact: adding, moving or reassigning an
   * identifier always happens under its profile's lock.
   */
  async mergePair(
    manager: EntityManager,
    x: string,
    y: string,
    audit: MergeAudit,
    confirm: (a: Profile, b: Profile) => boolean = () => true,
  ): Promise<PairMergeResult> {
    await this.identifiers.lockForProfiles(manager, [x, y]);
    const locked = await this.profiles.lock(manager, [x, y]);
    const missing = [x, y].find((id) => !locked.some((p) => p.id === id));
    if (missing) return { outcome: 'gone', profileId: missing };
    const [a, b] = locked;
    if (!confirm(a, b)) return { outcome: 'unconfirmed' };

    const plan = planResolution(locked);
    if (plan.kind !== 'merge') throw new Error(`merging ${x} with itself`);
    const survivor = locked.find((p) => p.id === plan.survivorId)!;
    const merged = locked.find((p) => p.id === plan.mergedIds[0])!;

    const counts = await this.identifiers.countsByProfile(manager, [x, y]);
    const refusal = pairMergeRefusal(
      counts.get(survivor.id)!,
      counts.get(merged.id)!,
      this.settings.mergePolicy,
    );
    if (refusal) {
      const rule = `${audit.rule}:${refusal}`;
      await this.merges.recordRefusal(manager, {
        id: randomUUID(),
        profileId: survivor.id,
        otherProfileId: merged.id,
        rule,
        identifiers: [],
        evidenceEventId: audit.evidenceEventId,
        refusedAt: audit.now,
      });
      this.log.warn(
        `refused merging profile ${merged.id} into ${survivor.id} (${rule}, evidence ${audit.evidenceEventId})`,
      );
      return { outcome: 'refused', rule };
    }

    const announcement = await this.fold(manager, survivor, merged, {
      ...audit,
      survivorVersionBefore: survivor.version,
    });
    const next: Profile = {
      ...survivor,
      version: survivor.version + 1,
      state: mergeProfileStates(survivor.state, merged.state),
      updatedAt: audit.now,
    };
    await this.profiles.update(manager, next);
    const snapshot = toProfileChanged(
      next,
      await this.identifiers.listForProfile(manager, next.id),
    );
    await this.profiles.addVersion(
      manager,
      snapshot,
      next.state.fieldTimes,
      audit.evidenceEventId,
      audit.now,
    );
    await this.blockingKeys.replace(manager, next.id, profileBlockingKeys(next.id, next.state));
    await this.outbox.add(manager, Topics.IdentityMerges, [
      {
        key: announcement.survivorProfileId,
        value: announcement,
        type: EventTypes.ProfilesMerged,
        id: announcement.mergeId,
      },
    ]);
    await this.outbox.add(manager, Topics.ProfileChanges, [
      {
        key: next.id,
        value: snapshot,
        type: EventTypes.ProfileChanged,
        id: `${next.id}:v${next.version}`,
      },
    ]);
    return {
      outcome: 'merged',
      mergeId: announcement.mergeId,
      survivorId: survivor.id,
      mergedId: merged.id,
      version: next.version,
    };
  }
}
