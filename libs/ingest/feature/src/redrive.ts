import { randomUUID } from 'node:crypto';
import {
  EventTypes,
  Headers,
  RejectedEvent,
  Topics,
  parseContract,
  physicalTopic,
} from '@kairos/contracts';
import {
  readTopic,
  type KafkaConnectionOptions,
  type KafkaPublisher,
  type StoredMessage,
} from '@kairos/messaging';

export interface RedriveOptions {
  /** Only events rejected at or after this time. */
  since?: Date;
  /** Only these codes: RejectionCode values, or dead-letter codes such as INVALID_JSON (default: all). */
  codes?: readonly string[];
  /** Publish for real; without it, only report what would be re-driven. */
  apply: boolean;
  limit?: number;
}

export interface RedriveCandidate {
  source: 'rejected' | 'dead-letter';
  partition: number;
  offset: string;
  code: string;
  reason: string;
  /** The original event text, as the upstream system sent it. */
  original: string;
}

export interface RedriveReport {
  candidates: RedriveCandidate[];
  /** Messages on the DLQ topics this tool cannot re-drive (unreadable, from other topics). */
  skipped: number;
  published: number;
}

/**
 * Re-drive events that ingest turned away, after the cause was fixed (a schema bug, a client
 * fix): their original payloads go back onto events.raw.v1 and through every ingest rule
 * again — nothing bypasses validation. Sources: events.rejected.v1 (invalid events, with their
 * reason) and dead-letter.v1 entries whose original topic is events.raw.v1 (e.g. invalid JSON,
 * or a consumer that gave up). Dry run unless `apply`.
 *
 * Re-driving is safe to repeat: events keep their messageId, so ingest's duplicate filter and
 * the downstream consumers' idempotency drop what already went through.
 */
export async function redriveRejected(
  connection: KafkaConnectionOptions,
  publisher: Pick<KafkaPublisher, 'produce'>,
  options: RedriveOptions,
): Promise<RedriveReport> {
  const read = { since: options.since, limit: options.limit };
  const [rejected, dead] = await Promise.all([
    readTopic(connection, Topics.EventsRejected, read),
    readTopic(connection, Topics.DeadLetter, read),
  ]);
  let skipped = 0;
  const candidates: RedriveCandidate[] = [];
  for (const message of rejected) {
    const parsed = parseContract(RejectedEvent, safeJson(message.value));
    if (!parsed.ok) {
      skipped++;
      continue;
    }
    candidates.push({
      source: 'rejected',
      ...position(message),
      code: parsed.value.code,
      reason: parsed.value.reason,
      original: parsed.value.original,
    });
  }
  const rawTopic = physicalTopic(Topics.EventsRaw, connection.namespace);
  for (const message of dead) {
    if (message.headers[Headers.DlqOriginalTopic] !== rawTopic || message.value === null) {
      skipped++;
      continue;
    }
    candidates.push({
      source: 'dead-letter',
      ...position(message),
      code: message.headers[Headers.DlqReasonCode] ?? 'UNKNOWN',
      reason: message.headers[Headers.DlqReason] ?? '',
      original: message.value,
    });
  }
  const selected = options.codes?.length
    ? candidates.filter((c) => options.codes?.includes(c.code))
    : candidates;

  let published = 0;
  if (options.apply) {
    for (const candidate of selected) {
      const payload = safeJson(candidate.original);
      await publisher.produce(Topics.EventsRaw, [
        {
          key: null,
          // An original that still is not JSON is re-driven as text; ingest will reject it again.
          value: payload === undefined ? candidate.original : payload,
          type: EventTypes.RawEvent,
          id: randomUUID(),
          headers: {
            kairos_redriven_from: `${candidate.source}:${candidate.partition}:${candidate.offset}`,
          },
        },
      ]);
      published++;
    }
  }
  return { candidates: selected, skipped, published };
}

function position(message: StoredMessage) {
  return { partition: message.partition, offset: message.offset };
}

function safeJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
