import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Topics, type RawEvent } from '@kairos/contracts';
import { batchHandler, type KafkaBatchContext, type OutgoingMessage } from '@kairos/messaging';
import { AcceptEventUseCase } from './accept-event.use-case';
import { RejectEventUseCase } from './reject-event.use-case';
import { screenRawEvent } from './screen-raw-event';

export type IngestOutcome = 'accepted' | 'duplicate' | 'rejected';

/** Raw events handled per call: one duplicate check, one publish, one mark for all of them. */
export const INGEST_BATCH_SIZE = 500;

/**
 * Kafka adapter for `events.raw.v1` — the one door every event goes through (the HTTP API
 * publishes here too). Bytes that are not JSON never get here (the transport dead-letters them
 * with INVALID_JSON). A JSON payload that is too large, of an unsupported type, or breaks the
 * Segment schema or the spec of its event type is not an error but a rejection with a reason
 * on `events.rejected.v1` — ingest's own dead-letter topic, which upstream teams watch — so it
 * is routed, not thrown.
 *
 * Runs of consecutive raw events of one partition are handled together (the transport's
 * batchHandler): rejections are published in one send, accepted events in another. If a run
 * fails, the transport hands its events back one at a time with the usual retries.
 */
@Controller()
export class IngestConsumer {
  constructor(
    private readonly accept: AcceptEventUseCase,
    private readonly reject: RejectEventUseCase,
  ) {}

  @EventPattern(Topics.EventsRaw, batchHandler({ maxMessages: INGEST_BATCH_SIZE }))
  async onRawEvents(
    @Payload() payloads: unknown[],
    @Ctx() ctx: KafkaBatchContext,
  ): Promise<IngestOutcome[]> {
    const outcomes: IngestOutcome[] = [];
    const rejections: OutgoingMessage[] = [];
    const valid: { index: number; event: RawEvent }[] = [];
    payloads.forEach((payload, index) => {
      const screened = screenRawEvent(payload);
      if (screened.ok) {
        valid.push({ index, event: screened.event });
      } else {
        outcomes[index] = 'rejected';
        rejections.push(
          ctx.inMessage(index, () =>
            this.reject.toRejection(payload, screened.code, screened.issues),
          ),
        );
      }
    });
    await this.reject.executeMany(rejections);
    const accepted = await this.accept.executeBatch(
      valid.map((v) => v.event),
      (i, work) => ctx.inMessage(valid[i].index, work),
    );
    accepted.forEach((outcome, i) => (outcomes[valid[i].index] = outcome));
    return outcomes;
  }
}
