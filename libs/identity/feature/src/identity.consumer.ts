import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { AcceptedEvent, Topics, parseContract } from '@kairos/contracts';
import { PermanentError, type KafkaMessageContext } from '@kairos/messaging';
import { ResolveEventUseCase, type ResolveOutcome } from './resolve-event.use-case';

/** Kafka adapter for `events.accepted.v1`: validate, then resolve. */
@Controller()
export class IdentityConsumer {
  constructor(private readonly resolveEvent: ResolveEventUseCase) {}

  @EventPattern(Topics.EventsAccepted)
  async onAcceptedEvent(
    @Payload() payload: unknown,
    @Ctx() _ctx: KafkaMessageContext,
  ): Promise<ResolveOutcome['outcome']> {
    const parsed = parseContract(AcceptedEvent, payload);
    // Ingest validated it; a payload that breaks the contract now cannot be fixed by a retry.
    if (!parsed.ok) throw new PermanentError('SCHEMA_VIOLATION', parsed.summary);
    return (await this.resolveEvent.execute(parsed.value)).outcome;
  }
}
