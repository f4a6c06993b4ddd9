import { Headers, type EventType, type TopicName } from '@kairos/contracts';
import type { OutgoingMessage } from '@kairos/messaging';

/** One outbox row as the relay reads it (column names mapped to camelCase by the SELECT). */
export interface OutboxRow {
  /** bigserial, as a string (it may exceed 2^53). */
  id: string;
  topic: TopicName;
  key: string | null;
  type: EventType;
  messageId: string;
  /** The parsed JSON payload; null is a tombstone. */
  payload: unknown;
  /** Trace context captured at insert time plus the message's own headers. */
  headers: Record<string, string>;
  createdAt: Date;
}

/** Consecutive rows for one topic, published with one `produce` call. */
export interface TopicRun {
  topic: TopicName;
  rows: OutboxRow[];
}

/**
 * Split rows (in id order) into maximal runs of consecutive rows with the same topic. Runs are
 * published one after another and each keeps its rows' order, so the relay never reorders two
 * messages: not within a key, and not across topics either (a profile change published before
 * the event that caused it would confuse consumers that read both).
 */
export function runsByTopic(rows: readonly OutboxRow[]): TopicRun[] {
  const runs: TopicRun[] = [];
  for (const row of rows) {
    const last = runs[runs.length - 1];
    if (last && last.topic === row.topic) last.rows.push(row);
    else runs.push({ topic: row.topic, rows: [row] });
  }
  return runs;
}

/**
 * The message a row stands for. The row's headers carry the trace context of the transaction
 * that wrote it, so the publisher sends it inside that trace. CloudEvents time is the message's
 * own time if it had one, else when the row was written (not when it happened to be relayed).
 */
export function toOutgoingMessage(row: OutboxRow): OutgoingMessage {
  return {
    key: row.key,
    value: row.payload,
    type: row.type,
    id: row.messageId,
    time: row.headers[Headers.CeTime] ?? row.createdAt.toISOString(),
    headers: row.headers,
  };
}
