import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import { EventTypes, Topics } from '@kairos/contracts';
import { contextFromHeaders, currentTraceHeaders } from '@kairos/messaging';
import { Outbox, OutboxRelay } from '@kairos/persistence';
import { SpanKind, context, trace, type Span } from '@opentelemetry/api';
import { DataSource } from 'typeorm';
import { DecisionRepository } from './decision.repository';
import { firingDefinitionOf } from './domain/definition-params';
import { decideFiring, type FiringVerdict } from './domain/firing-decision';
import { resolveTimeZone } from './domain/local-time';
import { emptyHistogram } from './domain/send-time';
import { FiringRepository } from './firing.repository';
import { messageRequest, requestData } from './message-request';
import type { ProfileActivityEntity } from './profile-activity.entity';
import { ProfileActivityRepository } from './profile-activity.repository';
import type { ProfileProjectionEntity } from './profile-projection.entity';
import { ProfileProjectionRepository } from './profile-projection.repository';
import { SCHEDULER_CONFIG, type SchedulerConfig } from './scheduler.config';
import type { TimerEntity } from './timer.entity';
import { TimerRepository, type ClaimedTimer } from './timer.repository';
import type { TriggerDefinitionEntity } from './trigger-definition.entity';
import { TriggerDefinitionRepository } from './trigger-definition.repository';
import { TriggerPlanner } from './trigger-planner.service';

const tracer = trace.getTracer('@kairos/scheduler');

/** A timer claimed this often without finishing is given up on (recorded as suppressed). */
export const MAX_ATTEMPTS = 5;
/** How long the population open-hour prior is reused before it is recomputed. */
const POPULATION_TTL_MS = 5 * 60_000;

export interface FireBatchResult {
  fired: number;
  suppressed: number;
  deferred: number;
}

/**
 * Fires the timers that are due by the injected clock, in two steps:
 *
 *  1. claim (short transaction, committed): due armed unleased timers get a lease
 *     (FOR UPDATE SKIP LOCKED, so replicas take disjoint sets);
 *  2. fire (one transaction for the claimed batch; if it fails, one per timer): lock the
 *     people's activity rows (serializing decisions per person across replicas), re-lock the
 *     timers still leased to us, read consent, ledger, definitions and other armed timers
 *     fresh, decide each timer in memory (domain/firing-decision), then write the batch:
 *       fire     → firings rows under the idempotency keys (a key already there fired before:
 *                  no second request, decision 'suppressed'), the requests in the outbox,
 *                  state 'fired', decision 'fired';
 *       suppress → state 'cancelled', decision 'suppressed' with the reason;
 *       defer    → re-armed at the new time, decision 'deferred' (quiet hours, overlap) or
 *                  'moved' (send-time optimization);
 *     then commit and kick the relay.
 *
 * After a crash between the steps the leases expire and the timers are claimed again; the
 * requests, the state changes and the ledger rows commit together, so a timer is either still
 * armed or fired with its request in the outbox — never two requests for one key.
 */
@Injectable()
export class FireDueTimersUseCase {
  private readonly logger = new Logger(FireDueTimersUseCase.name);
  private population: { at: number; hours: number[] } | undefined;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Outbox) private readonly outbox: Outbox,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
    private readonly timers: TimerRepository,
    private readonly profiles: ProfileProjectionRepository,
    private readonly activity: ProfileActivityRepository,
    private readonly definitions: TriggerDefinitionRepository,
    private readonly firings: FiringRepository,
    private readonly decisions: DecisionRepository,
    private readonly planner: TriggerPlanner,
  ) {}

  /** Claim due timers (step 1) and return them, without firing. Exposed for crash tests. */
  async claim(owner: string, limit = this.config.fireBatchSize): Promise<ClaimedTimer[]> {
    const now = this.clock.now();
    return this.dataSource.transaction((manager) =>
      this.timers.claimDue(
        manager,
        now,
        new Date(now.getTime() + this.config.leaseMs),
        owner,
        limit,
      ),
    );
  }

  async fireBatch(): Promise<FireBatchResult & { claimed: number }> {
    const owner = randomUUID();
    const claimed = await this.claim(owner);
    const total: FireBatchResult = { fired: 0, suppressed: 0, deferred: 0 };
    if (claimed.length === 0) return { ...total, claimed: 0 };
    try {
      add(total, await this.fireClaimed(claimed, owner));
    } catch (error) {
      // One bad timer must not hold back the rest: fire them one by one. A timer that fails
      // alone keeps its lease and is claimed again when it expires (up to MAX_ATTEMPTS).
      this.logger.warn(`batch of ${claimed.length} failed (${describe(error)}); firing one by one`);
      for (const timer of claimed) {
        try {
          add(total, await this.fireClaimed([timer], owner));
        } catch (single) {
          this.logger.error(`timer ${timer.id} failed: ${describe(single)}`);
        }
      }
    }
    if (total.fired > 0) this.relay.kick();
    return { ...total, claimed: claimed.length };
  }

  /** Step 2 for timers claimed by `owner`. */
  async fireClaimed(claimed: ClaimedTimer[], owner: string): Promise<FireBatchResult> {
    const now = this.clock.now();
    const population = await this.populationOpenHours();
    return this.dataSource.transaction(async (manager) => {
      const profileIds = [...new Set(claimed.map((t) => t.profileId))];
      const activity = await this.activity.lockMany(manager, profileIds, now);
      const timers = await this.timers.lockClaimed(
        manager,
        claimed.map((t) => t.id),
        owner,
      );
      const outcome: FireBatchResult = { fired: 0, suppressed: 0, deferred: 0 };
      if (timers.length === 0) return outcome;
      const [profiles, definitions, armedList] = await Promise.all([
        this.profiles.findMany(manager, profileIds),
        this.definitions.findMany(manager, [...new Set(timers.map((t) => t.definitionId))]),
        this.timers.findArmedOf(manager, profileIds),
      ]);
      const allDefinitions = await this.definitions.findMany(manager, [
        ...new Set(armedList.map((t) => t.definitionId)),
      ]);
      // The people's armed timers, kept current as this batch decides (overlap reads them).
      const armed = new Map<string, Map<string, TimerEntity>>();
      for (const t of armedList) {
        const own = armed.get(t.profileId) ?? new Map<string, TimerEntity>();
        own.set(t.id, { ...t });
        armed.set(t.profileId, own);
      }
      const since = new Date(
        now.getTime() - Math.max(this.config.cap.windowMs, this.config.overlapWindowMs),
      );
      const ledgers = await this.firings.ledgerOf(manager, profileIds, since);

      // Per person, the highest priority first: in one batch the winner of an overlap fires
      // before the others look at the ledger.
      const priority = (t: TimerEntity) => definitions.get(t.definitionId)?.priority ?? 0;
      timers.sort(
        (a, b) =>
          a.profileId.localeCompare(b.profileId) ||
          priority(b) - priority(a) ||
          a.dueAt.getTime() - b.dueAt.getTime(),
      );

      // Decide every timer first (in memory, the ledger growing as sends are planned), then
      // write the batch with a handful of multi-row statements.
      const toFire: { timer: TimerEntity; definition: TriggerDefinitionEntity }[] = [];
      const suppressed: { timer: TimerEntity; reason: string }[] = [];
      const deferred: {
        timer: TimerEntity;
        until: Date;
        decision: 'deferred' | 'moved';
        reason: string;
      }[] = [];
      for (const timer of timers) {
        if (timer.dueAt.getTime() > now.getTime()) continue; // moved since it was claimed
        const definition = definitions.get(timer.definitionId) ?? undefined;
        const profile = profiles.get(timer.profileId);
        const act = activity.get(timer.profileId);
        const ledger = ledgers.get(timer.profileId) ?? [];
        const own = armed.get(timer.profileId) ?? new Map<string, TimerEntity>();
        const verdict: FiringVerdict =
          (timer.attempts ?? 0) > MAX_ATTEMPTS
            ? { action: 'suppress', reason: `gave up after ${MAX_ATTEMPTS} attempts` }
            : decideFiring({
                now,
                definition: firingDefinitionOf(definition),
                stoApplied: timer.payload.stoApplied === true,
                profile: guardProfile(profile, act),
                timeZone: resolveTimeZone(profile?.timezone, this.config.defaultTimeZone),
                ledger,
                upcoming: [...own.values()]
                  .filter((t) => t.id !== timer.id)
                  .map((t) => ({
                    definitionId: t.definitionId,
                    priority: allDefinitions.get(t.definitionId)?.priority ?? 0,
                    dueAt: t.dueAt,
                  })),
                openHours: act?.openHours ?? emptyHistogram(),
                populationOpenHours: population,
                policy: {
                  cap: this.config.cap,
                  quietHours: this.config.quietHours,
                  overlapWindowMs: this.config.overlapWindowMs,
                  sto: this.config.sto,
                },
              });
        switch (verdict.action) {
          case 'fire':
            own.delete(timer.id);
            toFire.push({ timer, definition: definition! });
            ledger.push({
              definitionId: definition!.id,
              category: definition!.category,
              priority: definition!.priority,
              at: now,
              status: 'requested',
            });
            ledgers.set(timer.profileId, ledger);
            break;
          case 'suppress':
            own.delete(timer.id);
            suppressed.push({ timer, reason: verdict.reason });
            break;
          case 'defer': {
            const current = own.get(timer.id);
            if (current) current.dueAt = verdict.until;
            deferred.push({ timer, ...verdict });
            break;
          }
        }
      }

      // Fire: the firings rows first; a key already there fired before — no second request.
      const requestIds = new Map(toFire.map(({ timer }) => [timer.id, randomUUID()]));
      const inserted = await this.firings.insertMany(
        manager,
        toFire.map(({ timer, definition }) => ({
          idempotencyKey: timer.idempotencyKey,
          requestId: requestIds.get(timer.id)!,
          timerId: timer.id,
          profileId: timer.profileId,
          definitionId: timer.definitionId,
          kind: timer.kind,
          category: definition.category,
          priority: definition.priority,
          firedAt: now,
          status: 'requested' as const,
          outcomeAt: null,
        })),
      );
      const fired = toFire.filter(({ timer }) => inserted.has(timer.idempotencyKey));
      for (const { timer } of toFire) {
        if (!inserted.has(timer.idempotencyKey))
          suppressed.push({
            timer,
            reason: `already fired under idempotency key ${timer.idempotencyKey}`,
          });
      }
      const spans = fired.map(({ timer }) => this.fireSpan(timer));
      try {
        await this.outbox.add(
          manager,
          Topics.MessagesRequested,
          fired.map(({ timer, definition }, i) => {
            const request = messageRequest(
              timer,
              definition,
              requestData(timer, definition, activity.get(timer.profileId), now),
              requestIds.get(timer.id)!,
              now,
            );
            return {
              key: timer.profileId,
              value: request,
              type: EventTypes.MessageRequested,
              id: request.requestId,
              // Each request continues the trace of the event that armed/moved its timer.
              headers: spans[i].headers,
            };
          }),
        );
        await this.timers.setStateMany(
          manager,
          fired.map(({ timer }) => timer.id),
          'fired',
          now,
        );
        await this.timers.setStateMany(
          manager,
          suppressed.map(({ timer }) => timer.id),
          'cancelled',
          now,
        );
        for (const d of deferred) {
          await this.timers.reschedule(manager, d.timer.id, {
            dueAt: d.until,
            payload: {
              ...d.timer.payload,
              stoApplied: d.timer.payload.stoApplied === true || d.decision === 'moved',
            },
            updatedAt: now,
          });
        }
        const decision = (
          timer: TimerEntity,
          kind: 'fired' | 'suppressed' | 'deferred' | 'moved',
          reason: string | null,
          dueAt: Date | null = null,
        ) => ({
          profileId: timer.profileId,
          timerId: timer.id,
          kind: timer.kind,
          definitionId: timer.definitionId,
          decision: kind,
          reason,
          at: now,
          dueAt,
        });
        await this.decisions.recordMany(manager, [
          ...fired.map(({ timer }) => decision(timer, 'fired', null)),
          ...suppressed.map(({ timer, reason }) => decision(timer, 'suppressed', reason)),
          ...deferred.map((d) => decision(d.timer, d.decision, d.reason, d.until)),
        ]);

        // Next year's birthday, whatever became of this one.
        for (const { timer } of [...fired, ...suppressed]) {
          const profile = profiles.get(timer.profileId);
          if (timer.kind !== 'birthday' || !profile) continue;
          await this.planner.planBirthday(
            manager,
            timer.profileId,
            profile,
            { now, traceHeaders: timer.traceHeaders ?? {} },
            'next birthday',
            timer.payload.year,
          );
        }
      } finally {
        for (const { span } of spans) span.end();
      }
      return { fired: fired.length, suppressed: suppressed.length, deferred: deferred.length };
    });
  }

  /**
   * A span for one firing, parented by the trace context stored when the timer was
   * armed/moved, and the W3C headers that carry it into the outbox row.
   */
  private fireSpan(timer: TimerEntity): { span: Span; headers: Record<string, string> } {
    const parent = contextFromHeaders(timer.traceHeaders ?? {}, context.active());
    const span = tracer.startSpan(
      `${timer.kind} fire`,
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          'kairos.timer.id': timer.id,
          'kairos.timer.kind': timer.kind,
          'kairos.trigger.id': timer.definitionId,
        },
      },
      parent,
    );
    return { span, headers: currentTraceHeaders(trace.setSpan(parent, span)) };
  }

  private async populationOpenHours(): Promise<number[]> {
    const now = Date.now();
    if (!this.population || now - this.population.at > POPULATION_TTL_MS) {
      this.population = {
        at: now,
        hours: await this.activity.populationOpenHours(this.dataSource.manager),
      };
    }
    return this.population.hours;
  }
}

/** What the consent guard reads: the projection plus what the event stream said directly. */
function guardProfile(
  profile: ProfileProjectionEntity | undefined,
  activity: ProfileActivityEntity | undefined,
) {
  if (!profile) return undefined;
  return {
    emailPresent: profile.emailPresent,
    emailConsent: profile.emailConsent,
    updatedAt: profile.updatedAt,
    bouncedAt: activity?.bouncedAt ?? null,
    consentEvent:
      activity?.consentStatus && activity.consentAt
        ? { status: activity.consentStatus, at: activity.consentAt }
        : null,
  };
}

function add(total: FireBatchResult, part: FireBatchResult): void {
  total.fired += part.fired;
  total.suppressed += part.suppressed;
  total.deferred += part.deferred;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
