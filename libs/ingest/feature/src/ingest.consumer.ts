import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { RawEvent, Topics, parseContract } from '@kairos/contracts';
import type { KafkaMessageContext } from '@kairos/messaging';
import { AcceptEventUseCase } from './accept-event.use-case';
import { RejectEventUseCase } from './reject-event.use-case';

export type IngestOutcome = 'accepted' | 'duplicate' | 'rejected';

/**
 * Kafka adapter for `events.raw.v1`. Bytes that are not JSON never get here (the transport
 * dead-letters them with INVALID_JSON). A JSON payload that breaks the RawEvent schema is not
 * an error but a rejection with a reason on `events.rejected.v1` — ingest's own dead-letter
 * topic, which upstream teams watch — so it is routed, not thrown.
 */
@Controller()
export class IngestConsumer {
  constructor(
    private readonly accept: AcceptEventUseCase,
    private readonly reject: RejectEventUseCase,
  ) {}

  @EventPattern(Topics.EventsRaw)
  async onRawEvent(
    @Payload() payload: unknown,
    @Ctx() _ctx: KafkaMessageContext,
  ): Promise<IngestOutcome> {
    const parsed = parseContract(RawEvent, payload);
    if (!parsed.ok) {
      await this.reject.execute(payload, parsed.issues);
      return 'rejected';
    }
    return this.accept.execute(parsed.value);
  }
}
