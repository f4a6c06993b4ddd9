import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import type { ResolvedEvent } from '@kairos/contracts';
import { currentTraceHeaders, handleOnce } from '@kairos/messaging';
import { ProcessedEvents } from '@kairos/persistence';
import { DataSource } from 'typeorm';
import {
  abandonedCartIdempotencyKey,
  activityTime,
  cartSignalOf,
  decideAbandonedCart,
  type AbandonedCartDecision,
} from './abandoned-cart.policy';
import { DecisionRepository } from './decision.repository';
import { numberParam } from './domain/definition-params';
import { SCHEDULER_CONFIG, type SchedulerConfig } from './scheduler.config';
import { TimerRepository } from './timer.repository';
import { TriggerDefinitionRepository } from './trigger-definition.repository';

/** The inbox name this use case claims resolved events under. */
export const ABANDONED_CART_CONSUMER = 'trigger-scheduler.abandoned-cart';

export type CartEventOutcome = AbandonedCartDecision['action'] | 'skipped' | 'duplicate';

/**
 * Arms, moves or cancels a profile's abandoned-cart timer for one resolved event.
 *
 * One transaction: claim the event id (a redelivered event is a no-op), lock the armed timer,
 * apply the policy, write the timer and its decision. The timer stores the trace context of the
 * event that armed/moved it, so the message request it fires hours later continues that trace.
 */
@Injectable()
export class HandleCartEventUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ProcessedEvents) private readonly processed: ProcessedEvents,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
    private readonly timers: TimerRepository,
    private readonly decisions: DecisionRepository,
    private readonly definitions: TriggerDefinitionRepository,
  ) {}

  async execute(event: ResolvedEvent): Promise<CartEventOutcome> {
    const signal = cartSignalOf(event);
    if (!signal) return 'skipped';
    const now = this.clock.now();
    const activityAt = activityTime(event.timestamp, now);
    const traceHeaders = currentTraceHeaders();

    const result = await this.dataSource.transaction(async (manager) =>
      handleOnce(
        () => this.processed.claim(manager, ABANDONED_CART_CONSUMER, event.eventId),
        async () => {
          const armed = await this.timers.findArmedForUpdate(
            manager,
            event.profileId,
            'abandoned_cart',
          );
          const definition = await this.definitions.findById(manager, 'abandoned_cart');
          // The definition's delay wins over the service default (KAIROS_ABANDONED_CART_DELAY_MS).
          const delayMs = numberParam(
            definition?.params ?? {},
            'delayMs',
            this.config.abandonedCartDelayMs,
          );
          let decision = decideAbandonedCart(
            signal,
            armed ? { dueAt: armed.dueAt, cart: armed.payload.cart ?? [] } : undefined,
            activityAt,
            delayMs,
          );
          // A disabled trigger arms nothing new (an armed timer still moves/cancels; the guard
          // suppresses it at firing time).
          if (decision.action === 'arm' && !definition?.enabled)
            decision = { action: 'none', reason: 'abandoned-cart trigger disabled' };
          const base = { profileId: event.profileId, kind: 'abandoned_cart' as const, at: now };
          const armedId = (): string => {
            if (!armed)
              throw new Error(
                `abandoned-cart policy chose "${decision.action}" without an armed timer`,
              );
            return armed.id;
          };
          switch (decision.action) {
            case 'arm': {
              const id = randomUUID();
              await this.timers.insert(manager, {
                id,
                kind: 'abandoned_cart',
                definitionId: 'abandoned_cart',
                profileId: event.profileId,
                dueAt: decision.dueAt,
                state: 'armed',
                payload: { cart: decision.cart },
                traceHeaders,
                idempotencyKey: abandonedCartIdempotencyKey(event.profileId, id),
                createdAt: now,
                updatedAt: now,
                firedAt: null,
              });
              await this.decisions.record(manager, {
                ...base,
                timerId: id,
                decision: 'armed',
                reason: event.event ?? null,
                dueAt: decision.dueAt,
              });
              break;
            }
            case 'move':
              await this.timers.reschedule(manager, armedId(), {
                dueAt: decision.dueAt,
                payload: { cart: decision.cart },
                traceHeaders,
                updatedAt: now,
              });
              await this.decisions.record(manager, {
                ...base,
                timerId: armedId(),
                decision: 'moved',
                reason: event.event ?? null,
                dueAt: decision.dueAt,
              });
              break;
            case 'cancel':
              await this.timers.setState(manager, armedId(), 'cancelled', now);
              await this.decisions.record(manager, {
                ...base,
                timerId: armedId(),
                decision: 'cancelled',
                reason: decision.reason,
              });
              break;
            case 'none':
              break;
          }
          return decision.action;
        },
      ),
    );
    return result.outcome === 'duplicate' ? 'duplicate' : result.result;
  }
}
