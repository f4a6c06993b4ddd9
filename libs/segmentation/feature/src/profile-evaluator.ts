import { Inject, Injectable } from '@nestjs/common';
import { Topics } from '@kairos/contracts';
import { Outbox } from '@kairos/persistence';
import {
  toFacts,
  type ComputedTraits,
  type Facts,
  type SegmentProgram,
} from '@kairos/segmentation/domain';
import type { EntityManager } from 'typeorm';
import { ComputedTraitsRepository, type StoredTraits } from './computed-traits.repository';
import { membershipMessages } from './membership-messages';
import { MembershipRepository } from './membership.repository';
import { toProfileSnapshot, type StoredProfile } from './profile-input';

export interface ProfileUpdate {
  /** The locked row as it was. */
  stored: StoredTraits;
  traits: ComputedTraits;
  profile: StoredProfile | null;
  profileVersion: number;
  /** Service clock: facts are evaluated as of this time. */
  now: Date;
  /** When the change happened on the customer's timeline (MembershipChanged.at). */
  at: Date;
  /** The event / merge / sweep / definition change that caused it (MembershipChanged.causeId). */
  causeId: string;
  /** Evaluate every segment (the program changed), not just those whose facts changed. */
  full?: boolean;
}

export interface ProfileUpdateResult {
  entered: readonly string[];
  exited: readonly string[];
  /** Outbox messages added (0: nothing to publish, no relay kick needed). */
  messages: number;
  /** Whether the primary segment changed. */
  primaryChanged: boolean;
}

/**
 * The one place a profile's memberships change with its traits: facts before/after →
 * `program.evaluateChange` → membership rows, history rows, outbox messages and the traits row,
 * all in the caller's transaction (which holds the row lock and, for consumers, the event
 * claim). Hence: a change is announced exactly when the membership row changes, once.
 *
 * "Before" facts are recomputed from the stored row at the time it was last evaluated: the
 * facts are a pure function of (profile, traits, day), so this is exactly what the stored
 * memberships were computed from, and a day boundary crossed since then shows up as changed
 * facts (a window that expired is re-evaluated even when the event itself did not touch it).
 */
@Injectable()
export class ProfileEvaluator {
  constructor(
    private readonly traitsRows: ComputedTraitsRepository,
    private readonly memberships: MembershipRepository,
    @Inject(Outbox) private readonly outbox: Outbox,
  ) {}

  async apply(
    manager: EntityManager,
    program: SegmentProgram,
    update: ProfileUpdate,
  ): Promise<ProfileUpdateResult> {
    const { stored, now, at, causeId } = update;
    const profileId = stored.profileId;
    const options = program.factsOptions();
    const before: Facts | null =
      update.full || stored.evaluatedAt === null
        ? null
        : toFacts(
            toProfileSnapshot(stored.profile),
            stored.traits,
            stored.evaluatedAt.getTime(),
            options,
          );
    const after = toFacts(toProfileSnapshot(update.profile), update.traits, now.getTime(), options);
    const previous = await this.memberships.segmentIds(manager, profileId);
    const change = program.evaluateChange(before, after, previous);

    await this.memberships.exit(manager, profileId, change.exited);
    await this.memberships.enter(manager, profileId, change.entered, at);
    await this.memberships.record(manager, [
      ...change.exited.map((segmentId) => historyRow(profileId, segmentId, 'exited', update)),
      ...change.entered.map((segmentId) => historyRow(profileId, segmentId, 'entered', update)),
    ]);
    const messages = membershipMessages(profileId, change, at, causeId);
    await this.outbox.add(manager, Topics.SegmentMemberships, messages);
    await this.traitsRows.save(manager, stored, {
      traits: update.traits,
      profile: update.profile,
      profileVersion: update.profileVersion,
      evaluatedAt: now,
      primarySegment: change.primary,
      updatedAt: now,
    });
    return {
      entered: change.entered,
      exited: change.exited,
      messages: messages.length,
      primaryChanged: change.primary !== stored.primarySegment,
    };
  }

  /**
   * Take a profile out of segments outside the program's reach (a merged-away profile leaving
   * everything, members of a deleted segment), announcing each exit.
   */
  async exitSegments(
    manager: EntityManager,
    program: SegmentProgram,
    stored: StoredTraits,
    segmentIds: readonly string[],
    context: { now: Date; at: Date; causeId: string },
  ): Promise<number> {
    if (segmentIds.length === 0) return 0;
    const profileId = stored.profileId;
    await this.memberships.exit(manager, profileId, segmentIds);
    await this.memberships.record(
      manager,
      segmentIds.map((segmentId) => historyRow(profileId, segmentId, 'exited', context)),
    );
    const messages = membershipMessages(
      profileId,
      { entered: [], exited: segmentIds },
      context.at,
      context.causeId,
    );
    await this.outbox.add(manager, Topics.SegmentMemberships, messages);
    const left = await this.memberships.segmentIds(manager, profileId);
    await this.traitsRows.save(manager, stored, {
      traits: stored.traits,
      profile: stored.profile,
      profileVersion: stored.profileVersion,
      evaluatedAt: stored.evaluatedAt ?? context.now,
      primarySegment: program.primaryOf(left),
      updatedAt: context.now,
    });
    return messages.length;
  }

  /** Put a profile into a static segment (snapshots only ever add). */
  async enterStatic(
    manager: EntityManager,
    stored: StoredTraits,
    segmentId: string,
    context: { now: Date; at: Date; causeId: string },
  ): Promise<number> {
    const profileId = stored.profileId;
    await this.memberships.enter(manager, profileId, [segmentId], context.at);
    await this.memberships.record(manager, [historyRow(profileId, segmentId, 'entered', context)]);
    const messages = membershipMessages(
      profileId,
      { entered: [segmentId], exited: [] },
      context.at,
      context.causeId,
    );
    await this.outbox.add(manager, Topics.SegmentMemberships, messages);
    // Only the version moves (the Redis segment set must be rewritten); traits are unchanged.
    await this.traitsRows.save(manager, stored, {
      traits: stored.traits,
      profile: stored.profile,
      profileVersion: stored.profileVersion,
      evaluatedAt: stored.evaluatedAt ?? context.now,
      primarySegment: stored.primarySegment,
      updatedAt: context.now,
    });
    return messages.length;
  }
}

function historyRow(
  profileId: string,
  segmentId: string,
  change: 'entered' | 'exited',
  context: { now: Date; at: Date; causeId: string },
) {
  return {
    profileId,
    segmentId,
    change,
    at: context.at,
    recordedAt: context.now,
    causeId: context.causeId,
  };
}
