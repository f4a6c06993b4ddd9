import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import { EventTypes, Topics, type JsonObject } from '@kairos/contracts';
import { KafkaPublisher } from '@kairos/messaging';
import { partitionKey } from './partition-key';
import { describeIssues, prepareCall, type CallIssue, type SegmentCall } from './segment-call';

export type ReceiveOutcome =
  | { status: 'accepted'; count: number }
  | { status: 'invalid'; message: string; issues: CallIssue[] }
  | { status: 'unavailable'; message: string };

/** How long a call waits for Kafka before answering 503 (the client then retries). */
const PUBLISH_TIMEOUT_MS = 10_000;

/**
 * The HTTP door: validate a Segment API call and publish its events to `events.raw.v1`, where
 * the same consumer as for Kafka producers screens, normalizes and dedupes them. The call is
 * answered only after every event is acknowledged by all in-sync replicas (the publisher sends
 * with acks=-1), so a 200 means the events are durable.
 *
 * If the publish fails or times out the caller gets 503 and retries (Segment clients retry
 * 5xx). Some events of the call may already be on the topic then; the retry carries the same
 * messageIds (Segment's libraries always set one), so ingest's duplicate filter drops the copies.
 */
@Injectable()
export class ReceiveEventsUseCase {
  private readonly log = new Logger(ReceiveEventsUseCase.name);

  constructor(
    private readonly publisher: KafkaPublisher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(call: SegmentCall, body: unknown): Promise<ReceiveOutcome> {
    const prepared = prepareCall(call, body, {
      receivedAt: this.clock.now(),
      newMessageId: randomUUID,
    });
    if (!prepared.ok) {
      // Issues name fields and limits only, never values, so they may be logged.
      this.log.warn(`${call} call refused: ${describeIssues(prepared.issues)}`);
      return { status: 'invalid', message: prepared.message, issues: prepared.issues };
    }
    try {
      await withTimeout(
        this.publisher.produce(
          Topics.EventsRaw,
          prepared.events.map((event) => ({
            // A digest of the identity, like accepted events: keys end up in span attributes.
            key: partitionKey(identityOf(event)),
            value: event,
            type: EventTypes.RawEvent,
            id: String(event.messageId),
          })),
        ),
        PUBLISH_TIMEOUT_MS,
      );
    } catch (error) {
      this.log.error(
        `${call} call: publishing ${prepared.events.length} events failed: ${describe(error)}`,
      );
      return {
        status: 'unavailable',
        message: 'The events could not be stored right now; retry the call.',
      };
    }
    return { status: 'accepted', count: prepared.events.length };
  }
}

/** prepareCall checked that userId or anonymousId is present. */
function identityOf(event: JsonObject): string {
  const id = event.userId ?? event.anonymousId;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '';
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no acknowledgement within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
