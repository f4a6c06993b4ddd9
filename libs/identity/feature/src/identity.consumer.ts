import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { AcceptedEvent, Topics, parseContract } from '@kairos/contracts';
import { PermanentError, batchHandler, type KafkaBatchContext } from '@kairos/messaging';
import { ResolveEventUseCase, type ResolveOutcome } from './resolve-event.use-case';

/**
 * Events resolved in one transaction. Larger runs amortize the commit further but hold the
 * identifier and profile locks longer (another partition's run touching the same profile
 * waits) and redo more work when a conflict retries the run.
 */
export const RESOLVE_BATCH_SIZE = 100;

/**
 * Kafka adapter for `events.accepted.v1`: validate, then resolve. Runs of consecutive events
 * of one partition are resolved in one transaction (see the transport's batchHandler); a run
 * that fails is handed back one event at a time, so a bad event is dead-lettered alone.
 */
@Controller()
export class IdentityConsumer {
  constructor(private readonly resolveEvent: ResolveEventUseCase) {}

  @EventPattern(Topics.EventsAccepted, batchHandler({ maxMessages: RESOLVE_BATCH_SIZE }))
  async onAcceptedEvents(
    @Payload() payloads: unknown[],
    @Ctx() ctx: KafkaBatchContext,
  ): Promise<ResolveOutcome['outcome'][]> {
    const events = payloads.map((payload) => {
      const parsed = parseContract(AcceptedEvent, payload);
      // Ingest validated it; a payload that breaks the contract now cannot be fixed by a retry.
      if (!parsed.ok) throw new PermanentError('SCHEMA_VIOLATION', parsed.summary);
      return parsed.value;
    });
    const outcomes =
      events.length === 1
        ? [await this.resolveEvent.execute(events[0])]
        : await this.resolveEvent.executeBatch(events, (i, work) => ctx.inMessage(i, work));
    return outcomes.map((o) => o.outcome);
  }
}
