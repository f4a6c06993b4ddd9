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
import { RetriableError } from '@kairos/messaging';
import { Outbox, ProcessedEvents } from '@kairos/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import { IdentifierRepository, type IdentifierRow } from './identifier.repository';
import { identifierGroups, keysToCreate, lookupKeys } from './identifier-keys';
import { IdentityOutboxRelay } from './identity-outbox.relay';
import { MergeRepository } from './merge.repository';
import { ProfileRepository } from './profile.repository';
import { toProfileChanged, type Profile } from './profile-snapshot';
import {
  applyProfileUpdate,
  emptyProfileState,
  extractProfileUpdate,
  mergeProfileStates,
} from './profile-state';
import { mergeRule, planResolution } from './resolution-plan';

/** The consumer name this service claims event ids under (processed_events.consumer). */
export const IDENTITY_CONSUMER = 'identity-resolution';

/** Transaction attempts in-process before handing the event back to the transport to retry. */
const MAX_TX_ATTEMPTS = 3;

/**
 * Postgres errors a fresh transaction can get past: serialization failure, deadlock, and the
 * unique/foreign-key violations two resolvers racing on the same identifiers can run into.
 */
const CONFLICT_SQLSTATES = new Set(['40001', '40P01', '23505', '23503']);

export type ResolveOutcome =
  | { outcome: 'duplicate' }
  | {
      outcome: 'resolved';
      profileId: string;
      created: boolean;
      merged: string[];
      version: number;
      changed: boolean;
    };

/** Another transaction changed the identifiers this one relies on; start over. */
class IdentityConflict extends Error {}

/**
 * Attribute one accepted event to exactly one profile, in one transaction:
 *
 *   claim the event id (a redelivery is a no-op) → lock the event's existing identifiers →
 *   create / attach / merge (into the oldest profile) → add the identifiers that are new →
 *   apply identify traits with last-write-wins by event time → if anything changed: bump the
 *   version, keep the snapshot → outbox: ProfilesMerged…, ResolvedEvent, ProfileChanged.
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
    private readonly relay: IdentityOutboxRelay,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(event: AcceptedEvent): Promise<ResolveOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.dataSource.transaction((manager) => this.resolve(manager, event));
        if (result.outcome === 'resolved') this.relay.kick();
        return result;
      } catch (error) {
        if (!isConflict(error)) throw error;
        if (attempt >= MAX_TX_ATTEMPTS) {
          throw new RetriableError(
            'IDENTITY_CONFLICT',
            `event ${event.eventId}: concurrent identity changes, ${attempt} attempts`,
          );
        }
        this.log.debug(`event ${event.eventId}: conflict on attempt ${attempt}, retrying`);
      }
    }
  }

  private async resolve(manager: EntityManager, event: AcceptedEvent): Promise<ResolveOutcome> {
    if (!(await this.processed.claim(manager, IDENTITY_CONSUMER, event.eventId)))
      return { outcome: 'duplicate' };
    const now = this.clock.now();
    const groups = identifierGroups(event);
    const existing = await this.identifiers.lock(manager, lookupKeys(groups));
    const candidateIds = [...new Set(existing.map((row) => row.profileId))];
    const candidates = await this.profiles.lock(manager, candidateIds);
    // A profile merged away between our two reads: its identifiers moved; read them again.
    if (candidates.length !== candidateIds.length)
      throw new IdentityConflict('a profile disappeared');

    const plan = planResolution(candidates);
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
      for (const mergedId of plan.mergedIds) {
        const merged = byId(candidates, mergedId);
        mergeMessages.push(await this.merge(manager, event, profile, merged, existing, now));
        profile = { ...profile, state: mergeProfileStates(profile.state, merged.state) };
      }
      identifiersChanged = true;
    }

    const toCreate = keysToCreate(groups, existing);
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
      await this.profiles.addVersion(manager, snapshot, event.eventId, now);
      await this.outbox.add(manager, Topics.ProfileChanges, [
        {
          key: profile.id,
          value: snapshot,
          type: EventTypes.ProfileChanged,
          id: `${profile.id}:v${profile.version}`,
        },
      ]);
    }
    return {
      outcome: 'resolved',
      profileId: profile.id,
      created,
      merged: mergeMessages.map((m) => m.mergedProfileId),
      version: profile.version,
      changed,
    };
  }

  /** Fold `merged` into `survivor`: move its identifiers, delete it, audit the merge. */
  private async merge(
    manager: EntityManager,
    event: AcceptedEvent,
    survivor: Profile,
    merged: Profile,
    eventIdentifiers: readonly IdentifierRow[],
    now: Date,
  ): Promise<ProfilesMerged> {
    const moved = await this.identifiers.reassign(manager, merged.id, survivor.id);
    await this.profiles.delete(manager, merged.id);
    const rule = mergeRule(
      event,
      eventIdentifiers.filter((row) => row.profileId === merged.id).map((row) => row.type),
    );
    const mergeId = randomUUID();
    await this.merges.record(manager, {
      id: mergeId,
      survivorProfileId: survivor.id,
      mergedProfileId: merged.id,
      rule,
      evidenceEventId: event.eventId,
      identifiers: moved.map(({ type, value }) => ({ type, value })),
      mergedAt: now,
    });
    this.log.log(
      `profile ${merged.id} merged into ${survivor.id} (${rule}, event ${event.eventId})`,
    );
    return {
      mergeId,
      survivorProfileId: survivor.id,
      mergedProfileId: merged.id,
      rule,
      evidenceEventId: event.eventId,
      mergedAt: now.toISOString(),
    };
  }
}

function byId(profiles: readonly Profile[], id: string): Profile {
  const profile = profiles.find((p) => p.id === id);
  if (!profile) throw new Error(`profile ${id} is not among the locked candidates`);
  return profile;
}

function isConflict(error: unknown): boolean {
  if (error instanceof IdentityConflict) return true;
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.code ?? e?.driverError?.code;
  return typeof code === 'string' && CONFLICT_SQLSTATES.has(code);
}
