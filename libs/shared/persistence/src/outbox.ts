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
  return buildOutboxRowsInserts(
    schema,
    messages.map((message) => ({ topic, message, traceHeaders })),
    newId,
  );
}

/** One row to insert: its topic, message, and the trace context captured when it was added. */
export interface PendingOutboxRow {
  topic: TopicName;
  message: OutgoingMessage;
  traceHeaders: Record<string, string>;
}

/** Like {@link buildOutboxInserts}, for rows of any topics, in the given order. */
export function buildOutboxRowsInserts(
  schema: string,
  rows: readonly PendingOutboxRow[],
  newId: () => string = randomUUID,
): OutboxInsert[] {
  const table = qualifiedTable(schema, 'outbox');
  const inserts: OutboxInsert[] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const params: unknown[] = [];
    const tuples = chunk.map(({ topic, message, traceHeaders }, i) => {
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
    const traceHeaders = currentTraceHeaders();
    const pending = this.pending.get(transactionOf(manager));
    if (pending) {
      for (const message of messages) pending.push({ topic, message, traceHeaders });
      return;
    }
    for (const insert of buildOutboxInserts(this.schema, topic, messages, traceHeaders)) {
      await manager.query(insert.sql, insert.params);
    }
  }

  /**
   * Run `work` in the caller's transaction with every {@link add} it makes collected, then
   * written in as few multi-row INSERTs as possible (in the order they were added) before
   * this resolves — so one transaction handling many events pays one INSERT, not one per
   * add. Same atomicity (the rows are written in the same transaction, before it commits) and
   * the same order (ids are assigned in add order); each row keeps the trace context that was
   * active when it was added. If `work` throws nothing is written (the caller rolls back).
   */
  async deferring<T>(manager: EntityManager, work: () => Promise<T>): Promise<T> {
    assertInTransaction(manager, 'Outbox.deferring');
    const key = transactionOf(manager);
    if (this.pending.has(key)) return work();
    const pending: PendingOutboxRow[] = [];
    this.pending.set(key, pending);
    try {
      const result = await work();
      this.pending.delete(key);
      for (const insert of buildOutboxRowsInserts(this.schema, pending)) {
        await manager.query(insert.sql, insert.params);
      }
      return result;
    } finally {
      this.pending.delete(key);
    }
  }

  /** Rows collected by {@link deferring}, per transaction (its QueryRunner). */
  private readonly pending = new WeakMap<object, PendingOutboxRow[]>();
}

/** What identifies the caller's transaction: its QueryRunner (asserted present by the caller). */
function transactionOf(manager: EntityManager): object {
  return manager.queryRunner as object;
}
