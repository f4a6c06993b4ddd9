import type { EntityManager } from 'typeorm';
import { assertSqlIdentifier, qualifiedTable } from './identifier';
import { assertInTransaction } from './transaction-guard';

/**
 * The consumer inbox: which events each consumer has already handled, so at-least-once
 * delivery (redeliveries, relay re-publishes after a crash) has exactly-once effects.
 *
 *   await dataSource.transaction(async (manager) =>
 *     handleOnce(() => processed.claim(manager, ConsumerGroups.X, eventId), () => useCase(manager, event)));
 *
 * The claim and the handler's writes share one transaction: if the handler fails, the claim
 * rolls back with it and the redelivered event is handled again; if it commits, both are there.
 */
export class ProcessedEvents {
  readonly schema: string;
  private readonly table: string;

  constructor(schema: string) {
    this.schema = assertSqlIdentifier(schema, 'schema');
    this.table = qualifiedTable(this.schema, 'processed_events');
  }

  /**
   * Record that `consumer` handles `eventId`; true if this is the first time. Two concurrent
   * claims of the same id cannot both win: the second waits on the primary key until the first
   * transaction ends, then gets false (it committed) or true (it rolled back).
   */
  async claim(manager: EntityManager, consumer: string, eventId: string): Promise<boolean> {
    assertInTransaction(manager, 'ProcessedEvents.claim');
    const claimed = this.preclaimed.get(manager.queryRunner as object);
    if (claimed?.delete(`${consumer}\u0000${eventId}`)) return true;
    const rows = await manager.query<unknown[]>(
      `INSERT INTO ${this.table} (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1 AS claimed`,
      [consumer, eventId],
    );
    return rows.length === 1;
  }

  /**
   * Run `work` with many event ids claimed up front in ONE statement: inside `work`, {@link claim}
   * of a pre-claimed id answers true without a query (once; a second claim of the same id is a
   * real one and finds it taken). Ids already processed are not pre-claimed, so their claim
   * answers false as usual. Same transaction, same locking (a concurrent claim of an id waits
   * for this transaction), so the same exactly-once effect — for one round trip.
   *
   * Every pre-claimed id must be claimed by `work`: otherwise an event would be recorded as
   * handled without having been, so that throws (and the caller's transaction rolls back).
   */
  async preclaiming<T>(
    manager: EntityManager,
    consumer: string,
    eventIds: readonly string[],
    work: () => Promise<T>,
  ): Promise<T> {
    assertInTransaction(manager, 'ProcessedEvents.preclaiming');
    const key = manager.queryRunner as object;
    if (this.preclaimed.has(key) || eventIds.length === 0) return work();
    const rows = await manager.query<{ eventId: string }[]>(
      `INSERT INTO ${this.table} (consumer, event_id) SELECT $1, unnest($2::text[])
       ON CONFLICT DO NOTHING RETURNING event_id AS "eventId"`,
      [consumer, [...eventIds]],
    );
    const claimed = new Set(rows.map((row) => `${consumer}\u0000${row.eventId}`));
    this.preclaimed.set(key, claimed);
    try {
      const result = await work();
      if (claimed.size > 0)
        throw new Error(
          `ProcessedEvents.preclaiming: ${claimed.size} pre-claimed event id(s) were never claimed`,
        );
      return result;
    } finally {
      this.preclaimed.delete(key);
    }
  }

  /** Ids claimed by {@link preclaiming} and not yet handed out, per transaction (QueryRunner). */
  private readonly preclaimed = new WeakMap<object, Set<string>>();

  /**
   * Forget claims older than `ms`; returns how many. Keep `ms` well beyond how late a duplicate
   * can arrive (consumer-group rebalances, replays after an outage), or it would be handled twice.
   */
  async pruneOlderThan(manager: EntityManager, ms: number): Promise<number> {
    if (!(ms >= 0)) throw new Error('pruneOlderThan: ms must be a non-negative number');
    const rows = await manager.query<{ n: number }[]>(
      `WITH gone AS (
         DELETE FROM ${this.table} WHERE processed_at < now() - $1::double precision * interval '1 millisecond' RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [ms],
    );
    return rows[0]?.n ?? 0;
  }
}
