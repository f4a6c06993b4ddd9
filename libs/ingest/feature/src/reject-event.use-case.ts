import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import { EventTypes, Topics, type RejectionCode, type SchemaIssue } from '@kairos/contracts';
import { KafkaPublisher, currentTraceHeaders, type OutgoingMessage } from '@kairos/messaging';
import { buildRejection } from './reject-reason';

/**
 * Publish an event that failed validation to `events.rejected.v1` with a machine-readable
 * code, the per-field reason and the original payload, so it can be fixed and re-driven.
 * Rejection is an outcome, not an error: the raw message is done once this resolves. If the
 * publish fails the error propagates and the transport retries (bounded), so a rejection is
 * never lost silently either.
 */
@Injectable()
export class RejectEventUseCase {
  private readonly log = new Logger(RejectEventUseCase.name);

  constructor(
    private readonly publisher: KafkaPublisher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(
    payload: unknown,
    code: RejectionCode,
    issues: readonly SchemaIssue[],
  ): Promise<void> {
    await this.executeMany([this.toRejection(payload, code, issues)]);
  }

  /**
   * The rejection message for one payload (logged now, published by {@link executeMany}). It
   * carries the active trace context, so a batch of rejections keeps each one's trace.
   */
  toRejection(
    payload: unknown,
    code: RejectionCode,
    issues: readonly SchemaIssue[],
  ): OutgoingMessage {
    // The transport already parsed the bytes as JSON; re-serializing gives the same document
    // (whitespace and key order aside), which is what re-driving needs.
    const original = JSON.stringify(payload) ?? 'null';
    const rejection = buildRejection(code, issues, original, this.clock.now());
    // The reason names fields and expectations only (never values), so it may be logged.
    this.log.warn(`event rejected (${rejection.code}): ${rejection.reason}`);
    return {
      key: null,
      value: rejection,
      type: EventTypes.RejectedEvent,
      headers: currentTraceHeaders(),
    };
  }

  /** Publish rejections (one send); resolves once all are acknowledged. */
  async executeMany(rejections: OutgoingMessage[]): Promise<void> {
    await this.publisher.produce(Topics.EventsRejected, rejections);
  }
}
