import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import {
  EventTypes,
  Topics,
  type AcceptedEvent,
  type ProfilesMerged,
  type ResolvedEvent,
} from '@kairos/contracts';
import { PermanentError } from '@kairos/messaging';
import { Outbox, ProcessedEvents } from '@kairos/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import { applyGuardRails, type Refusal } from './domain/guard-rails';
import { matchingInputsChanged } from './domain/profile-matching';
import { IDENTITY_SETTINGS, type IdentitySettings } from './identity.config';
import { IdentifierRepository } from './identifier.repository';
import {
  identifierGroups,
  keyString,
  lookupKeys,
  withoutJunk,
  type IdentifierGroup,
} from './identifier-keys';
import { IdentityOutboxRelay } from './identity-outbox.relay';
import { MergeRepository } from './merge.repository';
import {
  ProbabilisticMatchingService,
  type MatchRunResult,
} from './probabilistic-matching.service';
import { ProfileMergeService } from './profile-merge.service';
import { ProfileRepository } from './profile.repository';
import { toProfileChanged, type Profile } from './profile-snapshot';
import {
  applyProfileUpdate,
  emptyProfileState,
  extractProfileUpdate,
  mergeProfileStates,
} from './profile-state';
import { mergeRule, planResolution } from './resolution-plan';
import { IdentityConflict, withConflictRetry } from './transaction-retry';

/** The consumer name this service claims event ids under (processed_events.consumer). */
export const IDENTITY_CONSUMER = 'identity-resolution';

export type ResolveOutcome =
  | { outcome: 'duplicate' }
  | {
      outcome: 'resolved';
      profileId: string;
      created: boolean;
      merged: string[];
      /** Links the guard rails refused (audited in merge_refusals). */
      refused: Refusal[];
      version: number;
      changed: boolean;
      /** Probabilistic matching, run when the event changed what matching compares. */
      probabilistic?: MatchRunResult;
    };

/**
 * Attribute one accepted event to exactly one profile, in one transaction:
 *
 *   drop junk identifiers → claim the event id (a redelivery is a no-op) → lock the event's
 *   existing identifiers and their profiles → apply the merge policy's guard rails (links that
 *   would break a limit are refused and audited, the event goes to the highest-priority
 *   profile it matches) → create / attach / merge (into the oldest profile) → add the
 *   identifiers that are new →
 *   apply identify traits with last-write-wins by event time → if anything changed: bump the
 *   version, keep the snapshot → outbox: ProfilesMerged…, ResolvedEvent, ProfileChanged →
 *   if what probabilistic matching compares changed: its blocking keys, and matching against
 *   the profiles sharing one (a merge with rule 'probabilistic' adds ProfilesMerged and the
 *   survivor's ProfileChanged; a pair between the thresholds gets an open match review).
 *
 * Probabilistic matching runs in the SAME transaction, not in a follow-up one after commit:
 * then a crash can never leave a changed profile unmatched (a follow-up would be lost with the
 * process and need a durable queue to be safe), and a redelivered event stays a no-op. The cost
 * is a longer transaction that, when it merges, locks a second profile out of the global id
 * order; a deadlock that can cause is detected by Postgres and the whole event is retried
 * (withConflictRetry), like the resolvers' own races.
 *
 * Invariants: one (type, value) belongs to one profile (primary key); a profile's identifiers,
 * fields, version and the messages announcing them commit together or not at all; messages
 * leave in that order (the relay publishes in insertion order), so downstream sees a merge
 * before events attributed to the survivor.
 *
 * Concurrency: identifier rows, then profile rows, are locked in a fixed order. Two events
 * introducing the same new identifier at once both find nothing to lock; both insert with
 * ON CONFLICT DO NOTHING, the second waits for the first to commit and inserts nothing, notices,
 * rolls back and starts over — now finding the first one's profile. So racing events never
 * create two profiles for one identifier.
 */
@Injectable()
export class ResolveEventUseCase {
  private readonly log = new Logger(ResolveEventUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly processed: ProcessedEvents,
    private readonly outbox: Outbox,
    private readonly identifiers: IdentifierRepository,
    private readonly profiles: ProfileRepository,
    private readonly merges: MergeRepository,
    private readonly merger: ProfileMergeService,
    private readonly matching: ProbabilisticMatchingService,
    private readonly relay: IdentityOutboxRelay,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(IDENTITY_SETTINGS) private readonly settings: IdentitySettings,
  ) {}

  async execute(event: AcceptedEvent): Promise<ResolveOutcome> {
    const groups = this.usableGroups(event);
    const result = await withConflictRetry(`event ${event.eventId}`, () =>
      this.dataSource.transaction((manager) => this.resolve(manager, event, groups)),
    );
    if (result.outcome === 'resolved') this.relay.kick();
    return result;
  }

  /**
   * Resolve a run of events (consecutive messages of one partition) in ONE transaction, in
   * order, each exactly as {@link execute} would — one commit (and one WAL flush) for the run
   * instead of one per event. `inEvent(i, work)` runs event i's work inside its own message's
   * trace context, so its outbox rows carry its trace.
   *
   * All or nothing: any error (a permanent one, or conflicts beyond the retries) rolls the whole
   * run back and propagates; the transport then handles the events one at a time through
   * {@link execute}, so a poison event still only fails itself. A conflict retries the whole
   * run, like a single event's transaction.
   */
  async executeBatch(
    events: readonly AcceptedEvent[],
    inEvent: <T>(index: number, work: () => Promise<T>) => Promise<T> = (_i, work) => work(),
  ): Promise<ResolveOutcome[]> {
    const usable = events.map((event) => this.usableGroups(event));
    const results = await withConflictRetry(`${events.length} events`, () =>
      this.dataSource.transaction((manager) =>
        // One statement claims every event id; the run's outbox rows go in as one INSERT.
        this.processed.preclaiming(
          manager,
          IDENTITY_CONSUMER,
          events.map((e) => e.eventId),
          () =>
            this.outbox.deferring(manager, async () => {
              const outcomes: ResolveOutcome[] = [];
              for (let i = 0; i < events.length; i++)
                outcomes.push(await inEvent(i, () => this.resolve(manager, events[i], usable[i])));
              return outcomes;
            }),
        ),
      ),
    );
    if (results.some((r) => r.outcome === 'resolved')) this.relay.kick();
    return results;
  }

  /** The event's identifiers without junk values; an event with none left cannot be resolved. */
  private usableGroups(event: AcceptedEvent): IdentifierGroup[] {
    const { groups, ignored } = withoutJunk(identifierGroups(event), this.settings.mergePolicy);
    if (ignored.length > 0) {
      // Types and reasons only: the values themselves may be PII.
      this.log.warn(
        `event ${event.eventId}: ignored junk identifier(s) ${ignored.map((i) => `${i.type} (${i.reason})`).join(', ')}`,
      );
    }
    if (groups.length === 0) {
      // A profile with no identifier could never be found again; retrying cannot help.
      throw new PermanentError(
        'NO_USABLE_IDENTIFIER',
        `event ${event.eventId} carries no usable identifier (${ignored.length} junk value(s) ignored)`,
      );
    }
    return groups;
  }

  private async resolve(
    manager: EntityManager,
    event: AcceptedEvent,
    eventGroups: readonly IdentifierGroup[],
  ): Promise<ResolveOutcome> {
    if (!(await this.processed.claim(manager, IDENTITY_CONSUMER, event.eventId)))
      return { outcome: 'duplicate' };
    const now = this.clock.now();
    const locked = await this.identifiers.lock(manager, lookupKeys(eventGroups));
    const candidateIds = [...new Set(locked.map((row) => row.profileId))];
    const lockedProfiles = await this.profiles.lock(manager, candidateIds);
    // A profile merged away between our two reads: its identifiers moved; read them again.
    if (lockedProfiles.length !== candidateIds.length)
      throw new IdentityConflict('a profile disappeared');

    const counts = await this.identifiers.countsByProfile(manager, candidateIds);
    const guarded = applyGuardRails(
      eventGroups,
      locked,
      lockedProfiles.map((p) => ({ id: p.id, createdAt: p.createdAt, counts: counts.get(p.id)! })),
      this.settings.mergePolicy,
    );
    const keptKeys = new Set(guarded.groups.flat().map(keyString));
    const existing = locked.filter((row) => keptKeys.has(keyString(row)));
    const candidates = lockedProfiles.filter((p) => guarded.candidates.some((c) => c.id === p.id));

    const plan = planResolution(candidates);
    const stateBefore =
      plan.kind === 'create'
        ? emptyProfileState()
        : byId(candidates, plan.kind === 'attach' ? plan.profileId : plan.survivorId).state;
    let profile: Profile;
    let created = false;
    let identifiersChanged = false;
    const mergeMessages: ProfilesMerged[] = [];
    if (plan.kind === 'create') {
      profile = {
        id: randomUUID(),
        version: 1,
        state: emptyProfileState(),
        createdAt: now,
        updatedAt: now,
      };
      // Inserted first so the identifiers can reference it; completed below.
      await this.profiles.insert(manager, profile);
      created = true;
    } else if (plan.kind === 'attach') {
      profile = byId(candidates, plan.profileId);
    } else {
      profile = byId(candidates, plan.survivorId);
      const survivorVersionBefore = profile.version;
      for (const mergedId of plan.mergedIds) {
        const merged = byId(candidates, mergedId);
        const rule = mergeRule(
          event,
          existing.filter((row) => row.profileId === merged.id).map((row) => row.type),
        );
        mergeMessages.push(
          await this.merger.fold(manager, profile, merged, {
            rule,
            evidenceEventId: event.eventId,
            now,
            survivorVersionBefore,
          }),
        );
        profile = { ...profile, state: mergeProfileStates(profile.state, merged.state) };
      }
      identifiersChanged = true;
    }

    const toCreate = guarded.toCreate;
    if (toCreate.length > 0) {
      const inserted = await this.identifiers.insert(manager, profile.id, toCreate, now);
      if (inserted.length !== toCreate.length)
        throw new IdentityConflict('an identifier was created concurrently');
      identifiersChanged = true;
    }

    const applied = applyProfileUpdate(profile.state, extractProfileUpdate(event), event.timestamp);
    const changed = created || identifiersChanged || applied.changed;
    const timesChanged =
      JSON.stringify(applied.state.fieldTimes) !== JSON.stringify(profile.state.fieldTimes);
    if (changed || timesChanged) {
      profile = {
        ...profile,
        state: applied.state,
        // A new profile is version 1; every later change is one more.
        version: created ? 1 : changed ? profile.version + 1 : profile.version,
        updatedAt: changed ? now : profile.updatedAt,
      };
      await this.profiles.update(manager, profile);
    }

    await this.outbox.add(
      manager,
      Topics.IdentityMerges,
      mergeMessages.map((m) => ({
        key: m.survivorProfileId,
        value: m,
        type: EventTypes.ProfilesMerged,
        id: m.mergeId,
      })),
    );
    const resolved: ResolvedEvent = { ...event, profileId: profile.id };
    await this.outbox.add(manager, Topics.EventsResolved, [
      { key: profile.id, value: resolved, type: EventTypes.ResolvedEvent, id: event.eventId },
    ]);
    if (changed) {
      const snapshot = toProfileChanged(
        profile,
        await this.identifiers.listForProfile(manager, profile.id),
      );
      await this.profiles.addVersion(
        manager,
        snapshot,
        profile.state.fieldTimes,
        event.eventId,
        now,
      );
      await this.outbox.add(manager, Topics.ProfileChanges, [
        {
          key: profile.id,
          value: snapshot,
          type: EventTypes.ProfileChanged,
          id: `${profile.id}:v${profile.version}`,
        },
      ]);
    }
    for (const refusal of guarded.refusals) {
      await this.merges.recordRefusal(manager, {
        id: randomUUID(),
        profileId: profile.id,
        otherProfileId: refusal.otherProfileId,
        rule: refusal.rule,
        identifiers: refusal.identifiers,
        evidenceEventId: event.eventId,
        refusedAt: now,
      });
      this.log.warn(
        refusal.otherProfileId
          ? `event ${event.eventId}: refused merging profile ${refusal.otherProfileId} into ${profile.id} (${refusal.rule})`
          : `event ${event.eventId}: refused linking ${refusal.identifiers.map((k) => k.type).join(', ')} to profile ${profile.id} (${refusal.rule})`,
      );
    }
    const probabilistic =
      changed && matchingInputsChanged(stateBefore, profile.state)
        ? await this.matching.matchProfile(manager, profile.id, event.eventId, now)
        : undefined;
    return {
      outcome: 'resolved',
      profileId: profile.id,
      created,
      merged: mergeMessages.map((m) => m.mergedProfileId),
      refused: guarded.refusals,
      version: profile.version,
      changed,
      probabilistic,
    };
  }
}

function byId(profiles: readonly Profile[], id: string): Profile {
  const profile = profiles.find((p) => p.id === id);
  if (!profile) throw new Error(`profile ${id} is not among the locked candidates`);
  return profile;
}
