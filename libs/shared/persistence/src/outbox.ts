import { randomUUID } from 'node:crypto';
import { Headers, type TopicName } from '@kairos/contracts';
import { currentTraceHeaders, type OutgoingMessage } from '@kairos/messaging';
import type { EntityManager } from 'typeorm';
import { assertSqlIdentifier, qualifiedTable } from './identifier';
import { assertInTransaction } from './transaction-guard';

/** Rows per INSERT statement: 6 parameters each stays far below Postgres' 65535-parameter limit. */
const ROWS_PER_STATEMENT = 1000;
const COLUMNS = 6;

export interface OutboxInsert {
  sql: string;
  params: unknown[];
}

/**
 * The multi-row INSERTs for some messages. Pure, so the row shape is unit-tested: headers are
 * the captured trace context overlaid by the message's own headers (an explicit traceparent
 * wins), an explicit `time` travels as the ce_time header, and msg_id is fixed now.
 */
export function buildOutboxInserts(
  schema: string,
  topic: TopicName,
  messages: readonly OutgoingMessage[],
  traceHeaders: Record<string, string>,
  newId: () => string = randomUUID,
): OutboxInsert[] {
  const table = qualifiedTable(schema, 'outbox');
  const inserts: OutboxInsert[] = [];
  for (let start = 0; start < messages.length; start += ROWS_PER_STATEMENT) {
    const chunk = messages.slice(start, start + ROWS_PER_STATEMENT);
    const params: unknown[] = [];
    const tuples = chunk.map((message, i) => {
      if (message.value === undefined) {
        // JSON.stringify(undefined) would silently become a tombstone on a compacted topic.
        throw new Error(
          `Outbox message of type ${message.type} has an undefined value; use null for a tombstone`,
        );
      }
      const headers: Record<string, string> = { ...traceHeaders, ...message.headers };
      if (message.time !== undefined) headers[Headers.CeTime] = message.time;
      params.push(
        topic,
        message.key,
        message.type,
        message.id ?? newId(),
        message.value === null ? null : JSON.stringify(message.value),
        JSON.stringify(headers),
      );
      const p = i * COLUMNS;
      return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}::jsonb, $${p + 6}::jsonb)`;
    });
    inserts.push({
      sql: `INSERT INTO ${table} (topic, msg_key, msg_type, msg_id, payload, headers) VALUES ${tuples.join(', ')}`,
      params,
    });
  }
  return inserts;
}

/**
 * The write side of the transactional outbox (ARCHITECTURE.md, "Correctness rules"): instead of
 * `save()` then `send()`, a service adds its messages to the outbox in the same transaction as
 * its state change, and the {@link OutboxRelay} publishes them after commit. So either both the
 * change and its messages happen, or neither does; a crash between the two is impossible.
 *
 * Order: rows get ids in insertion order, and the relay publishes in id order. Two transactions
 * touching the same aggregate (and so the same message key) are serialized by the row lock on
 * that aggregate, so their ids follow their commit order and the key's messages stay in order.
 */
export class Outbox {
  readonly schema: string;

  constructor(schema: string) {
    this.schema = assertSqlIdentifier(schema, 'schema');
  }

  /**
   * Insert messages for `topic` in the caller's transaction. The trace context active now (the
   * span handling the request or event that caused them) is stored with each row, so the relay
   * later publishes them as part of that trace.
   */
  async add(
    manager: EntityManager,
    topic: TopicName,
    messages: readonly OutgoingMessage[],
  ): Promise<void> {
    if (messages.length === 0) return;
    assertInTransaction(manager, 'Outbox.add');
    for (const insert of buildOutboxInserts(this.schema, topic, messages, currentTraceHeaders())) {
      await manager.query(insert.sql, insert.params);
    }
  }
}
