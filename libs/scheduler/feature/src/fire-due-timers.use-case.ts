import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import { EventTypes, Topics } from '@kairos/contracts';
import { contextFromHeaders } from '@kairos/messaging';
import { Outbox, OutboxRelay } from '@kairos/persistence';
import { SpanKind, context, trace } from '@opentelemetry/api';
import { DataSource, type EntityManager } from 'typeorm';
import { abandonedCartRequest } from './abandoned-cart-request';
import { DecisionRepository } from './decision.repository';
import { checkMarketingEmail } from './firing-guard';
import { ProfileProjectionRepository } from './profile-projection.repository';
import type { TimerEntity } from './timer.entity';
import { TimerRepository } from './timer.repository';

const tracer = trace.getTracer('@kairos/scheduler');

/** Timers fired per transaction. */
export const FIRE_BATCH_SIZE = 100;

export interface FireBatchResult {
  fired: number;
  suppressed: number;
}

/**
 * Fires the timers that are due by the injected clock, one batch per transaction:
 *
 *   lock due armed timers (FOR UPDATE SKIP LOCKED) → check consent fresh from the projection →
 *   either suppress (state 'cancelled', decision 'suppressed' with the reason) or add the
 *   message request to the outbox (state 'fired', decision 'fired') → commit → kick the relay.
 *
 * The request, the state change and the ledger row commit together, so after a crash a timer is
 * either still armed (and fires again later) or fired with its request in the outbox — never
 * fired without a request, and never two requests for one timer.
 */
@Injectable()
export class FireDueTimersUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Outbox) private readonly outbox: Outbox,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly timers: TimerRepository,
    private readonly profiles: ProfileProjectionRepository,
    private readonly decisions: DecisionRepository,
  ) {}

  async fireBatch(): Promise<FireBatchResult> {
    const now = this.clock.now();
    const result = await this.dataSource.transaction(async (manager) => {
      const due = await this.timers.lockDue(manager, now, FIRE_BATCH_SIZE);
      const outcome: FireBatchResult = { fired: 0, suppressed: 0 };
      if (due.length === 0) return outcome;
      const profiles = await this.profiles.findMany(manager, [
        ...new Set(due.map((t) => t.profileId)),
      ]);
      for (const timer of due) {
        const verdict = checkMarketingEmail(profiles.get(timer.profileId));
        if (verdict.allowed) {
          await this.fire(manager, timer, now);
          outcome.fired += 1;
        } else {
          await this.timers.setState(manager, timer.id, 'cancelled', now);
          await this.decisions.record(manager, {
            profileId: timer.profileId,
            timerId: timer.id,
            kind: timer.kind,
            decision: 'suppressed',
            reason: verdict.reason,
            at: now,
          });
          outcome.suppressed += 1;
        }
      }
      return outcome;
    });
    if (result.fired > 0) this.relay.kick();
    return result;
  }

  /**
   * Runs inside the trace context stored when the timer was armed/moved: the span and the
   * outbox row (which captures the active context) continue the trace of the cart event.
   */
  private async fire(manager: EntityManager, timer: TimerEntity, now: Date): Promise<void> {
    const parent = contextFromHeaders(timer.traceHeaders ?? {}, context.active());
    const span = tracer.startSpan(
      `${timer.kind} fire`,
      {
        kind: SpanKind.INTERNAL,
        attributes: { 'kairos.timer.id': timer.id, 'kairos.timer.kind': timer.kind },
      },
      parent,
    );
    try {
      await context.with(trace.setSpan(parent, span), async () => {
        const request = abandonedCartRequest(
          {
            profileId: timer.profileId,
            idempotencyKey: timer.idempotencyKey,
            cart: timer.payload.cart,
          },
          randomUUID(),
          now,
        );
        await this.outbox.add(manager, Topics.MessagesRequested, [
          {
            key: timer.profileId,
            value: request,
            type: EventTypes.MessageRequested,
            id: request.requestId,
          },
        ]);
        await this.timers.setState(manager, timer.id, 'fired', now);
        await this.decisions.record(manager, {
          profileId: timer.profileId,
          timerId: timer.id,
          kind: timer.kind,
          decision: 'fired',
          reason: null,
          at: now,
        });
      });
    } finally {
      span.end();
    }
  }
}
