import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Topics } from '@kairos/contracts';
import type { KafkaMessageContext } from '@kairos/messaging';
import { AcceptEventUseCase } from './accept-event.use-case';
import { RejectEventUseCase } from './reject-event.use-case';
import { screenRawEvent } from './screen-raw-event';

export type IngestOutcome = 'accepted' | 'duplicate' | 'rejected';

/**
 * Kafka adapter for `events.raw.v1` — the one door every event goes through (the HTTP API
 * publishes here too). Bytes that are not JSON never get here (the transport dead-letters them
 * with INVALID_JSON). A JSON payload that is too large, of an unsupported type, or breaks the
 * Segment schema or the spec of its event type is not an error but a rejection with a reason
 * on `events.rejected.v1` — ingest's own dead-letter topic, which upstream teams watch — so it
 * is routed, not thrown.
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
    const screened = screenRawEvent(payload);
    if (!screened.ok) {
      await this.reject.execute(payload, screened.code, screened.issues);
      return 'rejected';
    }
    return this.accept.execute(screened.event);
  }
}
