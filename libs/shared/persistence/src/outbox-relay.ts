import { Logger } from '@nestjs/common';
import type { TopicName } from '@kairos/contracts';
import type { OutgoingMessage } from '@kairos/messaging';
import type { DataSource, QueryRunner } from 'typeorm';
import { assertSqlIdentifier, qualifiedTable } from './identifier';
import { runsByTopic, toOutgoingMessage, type OutboxRow, type TopicRun } from './outbox-rows';

/** What the relay publishes through; `KafkaPublisher` from @kairos/messaging fits. */
export interface OutboxPublisher {
  produce(topic: TopicName, messages: OutgoingMessage[]): Promise<void>;
  /**
   * Several topics' messages in one request, each topic's in order (KafkaPublisher has it).
   * When present, a cycle publishes all its rows with one call instead of one per run.
   */
  produceBatch?(
    batches: readonly { topic: TopicName; messages: readonly OutgoingMessage[] }[],
  ): Promise<void>;
}

export interface OutboxRelayOptions {
  /** How often to look for rows nobody kicked the relay about (e.g. after a restart). */
  pollIntervalMs: number;
  /** Rows per cycle (default 500). */
  batchSize?: number;
  /** Published rows are deleted once older than this (default 1 h). */
  retentionMs?: number;
  /**
   * Called after rows are committed as published, e.g. to refresh a Redis hot copy. It runs at
   * most once per publish; a failure is logged and not retried (the cache can be rebuilt).
   */
  onPublished?: (rows: OutboxRow[]) => Promise<void> | void;
}

export interface RelayCycleResult {
  /** Another relay held this schema's lock, so this cycle did nothing. */
  skipped: boolean;
  /** Rows published (and marked published) by this cycle. */
  published: number;
}

const DEFAULT_BATCH_SIZE = 500;
const DEFAULT_RETENTION_MS = 60 * 60 * 1000;
const MAX_BACKOFF_MS = 30_000;
const PRUNE_EVERY_MS = 60_000;
const PRUNE_BATCH = 10_000;

/** Delay before the next attempt after `failures` failed cycles in a row: doubling, capped. */
export function relayBackoffMs(failures: number, pollIntervalMs: number): number {
  const cap = Math.max(MAX_BACKOFF_MS, pollIntervalMs);
  return Math.min(pollIntervalMs * 2 ** Math.max(0, failures - 1), cap);
}

/**
 * Publishes a schema's outbox rows to Kafka, in id order, after they are committed.
 *
 * One cycle, in one transaction:
 *   1. take `pg_try_advisory_xact_lock(hashtext('<schema>.outbox'))`: at most one relay per
 *      schema publishes at a time, however many replicas run, so rows go out in id order and a
 *      key's messages keep their order. Without the lock, skip (the holder is publishing);
 *   2. read the oldest unpublished rows (id order, up to batchSize);
 *   3. publish them: with a publisher that has `produceBatch`, all of them in ONE produce
 *      request, each topic's rows in id order (so every key's messages stay in order; rows of
 *      different topics are acknowledged together, and consumers of two topics never had an
 *      order between them to rely on). Else as runs of consecutive same-topic rows, one after
 *      the other, stopping at the first run that fails (later rows must not overtake it);
 *   4. set published_at for the rows that went out, commit.
 *
 * Delivery is at-least-once: if the process dies (or the commit fails) after Kafka acknowledged
 * a run and before step 4 commits, those rows are still unpublished and are sent again. They
 * carry the same ce_id (msg_id was fixed at insert), so consumers, which dedupe on the event id,
 * handle them once. Nothing is ever lost: a row stays unpublished until Kafka has acknowledged
 * it. Failures are logged (never with payloads: they hold PII) and retried with backoff; the
 * relay loop never dies.
 */
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly table: string;
  private readonly lockKey: string;
  private readonly batchSize: number;
  private readonly retentionMs: number;

  private started = false;
  private timer: NodeJS.Timeout | undefined;
  /** The background tick in progress, if any (stop() waits for it). */
  private tickInFlight: Promise<void> | undefined;
  /** A kick arrived while a tick was running: run again right after it. */
  private kicked = false;
  private failures = 0;
  private lastPruneAt = 0;
  /** Serializes cycles of this instance (background ticks, drain, prune). Never rejects. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    schema: string,
    private readonly publisher: OutboxPublisher,
    private readonly options: OutboxRelayOptions,
  ) {
    assertSqlIdentifier(schema, 'schema');
    if (!(options.pollIntervalMs > 0))
      throw new Error('OutboxRelay: pollIntervalMs must be positive');
    this.table = qualifiedTable(schema, 'outbox');
    this.lockKey = `${schema}.outbox`;
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    if (!(this.batchSize > 0)) throw new Error('OutboxRelay: batchSize must be positive');
  }

  /** Start publishing in the background (first cycle at once). Idempotent. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.schedule(0);
  }

  /** Stop the background loop; resolves once a cycle in flight has finished. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.tickInFlight;
    await this.tail;
  }

  /**
   * Run a cycle soon. Services call this right after committing a transaction that added to the
   * outbox, so publish latency is one round trip, not the poll interval. While the relay is
   * backing off after failures a kick is ignored: the backoff timer retries. If another replica's
   * relay holds the lock, the kicked cycle is skipped and the rows go out within a poll interval.
   */
  kick(): void {
    if (!this.started) return;
    if (this.tickInFlight) {
      this.kicked = true;
      return;
    }
    if (this.failures === 0) this.schedule(0);
  }

  /**
   * Publish everything that is pending now (for tests and graceful shutdown). Waits for another
   * relay holding the lock instead of skipping. Errors propagate. Resolves to the rows published.
   */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const { published } = await this.exclusive(() => this.runCycle(true));
      total += published;
      // A short batch means everything committed before this call has been read.
      if (published < this.batchSize) return total;
    }
  }

  /** One cycle, skipped if another relay holds the lock. Errors propagate. */
  cycle(): Promise<RelayCycleResult> {
    return this.exclusive(() => this.runCycle(false));
  }

  /** Delete published rows older than the retention. Never touches unpublished rows. */
  prunePublished(): Promise<number> {
    return this.exclusive(async () => {
      let total = 0;
      for (;;) {
        const rows = await this.dataSource.query<{ n: number }[]>(
          `WITH gone AS (
             DELETE FROM ${this.table} WHERE id IN (
               SELECT id FROM ${this.table}
               WHERE published_at IS NOT NULL AND published_at < now() - $1::double precision * interval '1 millisecond'
               ORDER BY id LIMIT ${PRUNE_BATCH})
             RETURNING 1)
           SELECT count(*)::int AS n FROM gone`,
          [this.retentionMs],
        );
        const deleted = rows[0]?.n ?? 0;
        total += deleted;
        if (deleted < PRUNE_BATCH) return total;
      }
    });
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.tickInFlight = this.tick().finally(() => {
        this.tickInFlight = undefined;
      });
    }, delayMs);
    // The relay alone must not keep a process alive (the app's server does that).
    this.timer.unref();
  }

  /** One background step. Never rejects: every failure becomes a log line and a backoff. */
  private async tick(): Promise<void> {
    if (!this.started) return;
    this.kicked = false;
    let delay = this.options.pollIntervalMs;
    try {
      const { published } = await this.cycle();
      this.failures = 0;
      // A full batch means more rows are probably waiting: go on at once.
      if (published >= this.batchSize) delay = 0;
    } catch (error) {
      this.failures += 1;
      delay = relayBackoffMs(this.failures, this.options.pollIntervalMs);
      this.logger.error(
        `Publishing the outbox ${this.table} failed (${this.failures} in a row); retrying in ${delay} ms: ${describe(error)}`,
      );
    }
    if (
      this.started &&
      Date.now() - this.lastPruneAt >= Math.min(PRUNE_EVERY_MS, this.retentionMs)
    ) {
      this.lastPruneAt = Date.now();
      try {
        await this.prunePublished();
      } catch (error) {
        this.logger.warn(`Pruning published rows of ${this.table} failed: ${describe(error)}`);
      }
    }
    // Rows committed while this tick ran may have been missed by its SELECT: look again now.
    if (this.kicked && this.failures === 0) delay = 0;
    if (this.started) this.schedule(delay);
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async runCycle(waitForLock: boolean): Promise<RelayCycleResult> {
    const queryRunner = this.dataSource.createQueryRunner();
    const published: OutboxRow[] = [];
    let publishError: Error | undefined;
    try {
      await queryRunner.connect();
      await queryRunner.startTransaction();
      if (!(await this.lock(queryRunner, waitForLock))) {
        await queryRunner.rollbackTransaction();
        return { skipped: true, published: 0 };
      }
      const rows = (await queryRunner.query(
        // Order by the column o.id, not the text alias "id" (which would sort '10' before '2').
        `SELECT o.id::text AS id, o.topic, o.msg_key AS key, o.msg_type AS type, o.msg_id AS "messageId",
                o.payload, o.headers, o.created_at AS "createdAt"
         FROM ${this.table} o WHERE o.published_at IS NULL ORDER BY o.id LIMIT $1`,
        [this.batchSize],
      )) as OutboxRow[];
      if (this.publisher.produceBatch && rows.length > 0) {
        try {
          await this.publisher.produceBatch(
            byTopic(rows).map((run) => ({
              topic: run.topic,
              messages: run.rows.map(toOutgoingMessage),
            })),
          );
          published.push(...rows);
        } catch (error) {
          // Nothing is marked: whatever did get written is re-sent with the same ce_id.
          publishError = error instanceof Error ? error : new Error(String(error));
        }
      }
      for (const run of this.publisher.produceBatch ? [] : runsByTopic(rows)) {
        try {
          await this.publisher.produce(run.topic, run.rows.map(toOutgoingMessage));
        } catch (error) {
          publishError = error instanceof Error ? error : new Error(String(error));
          break;
        }
        published.push(...run.rows);
      }
      // Mark what Kafka acknowledged, even when a later run failed, so it is not sent twice.
      if (published.length > 0) {
        await queryRunner.query(
          `UPDATE ${this.table} SET published_at = now() WHERE id = ANY($1::bigint[])`,
          [published.map((row) => row.id)],
        );
      }
      await queryRunner.commitTransaction();
    } catch (error) {
      // The lock goes with the transaction; unmarked rows are retried next cycle.
      if (queryRunner.isTransactionActive)
        await queryRunner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await queryRunner.release();
    }
    if (published.length > 0) await this.notifyPublished(published);
    if (publishError !== undefined) throw publishError;
    return { skipped: false, published: published.length };
  }

  private async lock(queryRunner: QueryRunner, wait: boolean): Promise<boolean> {
    // hashtext() maps the schema-qualified name to the int key advisory locks take. A collision
    // with another schema's key only makes those two relays take turns; it cannot break order.
    if (wait) {
      await queryRunner.query('SELECT pg_advisory_xact_lock(hashtext($1))', [this.lockKey]);
      return true;
    }
    const [row] = (await queryRunner.query(
      'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked',
      [this.lockKey],
    )) as { locked: boolean }[];
    return row?.locked === true;
  }

  private async notifyPublished(rows: OutboxRow[]): Promise<void> {
    if (!this.options.onPublished) return;
    try {
      await this.options.onPublished(rows);
    } catch (error) {
      this.logger.error(
        `onPublished failed for ${rows.length} row(s) of ${this.table}: ${describe(error)}`,
      );
    }
  }
}

/** Rows grouped by topic, each group in id order (groups in order of first appearance). */
function byTopic(rows: readonly OutboxRow[]): TopicRun[] {
  const groups = new Map<TopicName, OutboxRow[]>();
  for (const row of rows) {
    const group = groups.get(row.topic);
    if (group) group.push(row);
    else groups.set(row.topic, [row]);
  }
  return [...groups].map(([topic, group]) => ({ topic, rows: group }));
}

/** Error name and message only: never payloads, which may hold PII. */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
