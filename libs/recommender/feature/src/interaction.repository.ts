import { Injectable } from '@nestjs/common';
import { dataSourceSchema, qualifiedTable } from '@kairos/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import {
  InteractionWeights,
  type InteractionKind,
  type InteractionSignal,
} from './interaction-signals';
import type { HistoryItem } from './recommend';

interface HistoryRow {
  product_id: string;
  name: string | null;
  weight: number;
  last_at: Date;
  purchase_count: number;
  category: string | null;
}

interface EventRow {
  product_id: string;
  kind: InteractionKind;
  occurred_at: Date;
}

/** How many of a profile's newest events fold-in reads (bounds the cost of a very busy profile). */
export const MAX_HISTORY_EVENTS = 2000;

/**
 * Writes `interactions` together with `product_popularity` (keeping popularity their sum) and
 * `interaction_events` (one row per event and product, what training reads).
 */
@Injectable()
export class InteractionRepository {
  private readonly interactions: string;
  private readonly eventsTable: string;
  private readonly popularity: string;
  private readonly products: string;

  constructor(dataSource: DataSource) {
    const schema = dataSourceSchema(dataSource);
    this.interactions = qualifiedTable(schema, 'interactions');
    this.eventsTable = qualifiedTable(schema, 'interaction_events');
    this.popularity = qualifiedTable(schema, 'product_popularity');
    this.products = qualifiedTable(schema, 'products');
  }

  /**
   * Add an event's interactions, in the caller's transaction (which also holds the event claim,
   * so a redelivered event never adds twice). Rows are written in product-id order: two events
   * touching the same products lock the popularity rows in the same order and cannot deadlock.
   */
  async record(
    manager: EntityManager,
    eventId: string,
    profileId: string,
    signals: readonly InteractionSignal[],
    at: Date,
  ): Promise<void> {
    const sorted = [...signals].sort((a, b) => a.productId.localeCompare(b.productId));
    if (sorted.length === 0) return;
    const evParams: unknown[] = [eventId, profileId, at];
    const evTuples = sorted.map((s) => {
      evParams.push(s.productId, s.kind);
      const i = evParams.length - 2;
      return `($1, $2::uuid, $2::uuid, $${i + 1}, $${i + 2}, $3::timestamptz)`;
    });
    // The claim already makes an event count once; the unique key is a second line of defence.
    await manager.query(
      `INSERT INTO ${this.eventsTable} (event_id, profile_id, origin_profile_id, product_id, kind, occurred_at)
       VALUES ${evTuples.join(', ')}
       ON CONFLICT (event_id, product_id) DO NOTHING`,
      evParams,
    );
    const params: unknown[] = [profileId, at];
    const tuples = sorted.map((s) => {
      params.push(s.productId, s.weight, s.purchased ? 1 : 0);
      const i = params.length - 3;
      return `($1::uuid, $${i + 1}, $${i + 2}::double precision, $${i + 3}::integer, $2::timestamptz)`;
    });
    await manager.query(
      `INSERT INTO ${this.interactions} AS i (profile_id, product_id, weight, purchase_count, last_at)
       VALUES ${tuples.join(', ')}
       ON CONFLICT (profile_id, product_id) DO UPDATE SET
         weight = i.weight + EXCLUDED.weight,
         purchase_count = i.purchase_count + EXCLUDED.purchase_count,
         last_at = GREATEST(i.last_at, EXCLUDED.last_at)`,
      params,
    );
    const popParams: unknown[] = [];
    const popTuples = sorted.map((s) => {
      popParams.push(s.productId, s.weight);
      return `($${popParams.length - 1}, $${popParams.length}::double precision)`;
    });
    await manager.query(
      `INSERT INTO ${this.popularity} AS pp (product_id, score) VALUES ${popTuples.join(', ')}
       ON CONFLICT (product_id) DO UPDATE SET score = pp.score + EXCLUDED.score`,
      popParams,
    );
  }

  /** Everything the profile interacted with, with the catalog category when known. */
  async history(manager: EntityManager, profileId: string): Promise<HistoryItem[]> {
    const rows = await manager.query<HistoryRow[]>(
      `SELECT i.product_id, p.name, i.weight, i.last_at, i.purchase_count, p.category
       FROM ${this.interactions} i LEFT JOIN ${this.products} p USING (product_id)
       WHERE i.profile_id = $1`,
      [profileId],
    );
    return rows.map((row) => ({
      productId: row.product_id,
      weight: Number(row.weight),
      lastAt: row.last_at,
      purchased: row.purchase_count > 0,
      category: row.category,
      name: row.name,
    }));
  }

  /** The profile's newest events (at most {@link MAX_HISTORY_EVENTS}), for fold-in. */
  async events(
    manager: EntityManager,
    profileId: string,
  ): Promise<{ productId: string; kind: InteractionKind; at: number }[]> {
    const rows = await manager.query<EventRow[]>(
      `SELECT product_id, kind, occurred_at FROM ${this.eventsTable}
       WHERE profile_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT $2`,
      [profileId, MAX_HISTORY_EVENTS],
    );
    return rows.map((r) => ({
      productId: r.product_id,
      kind: r.kind,
      at: r.occurred_at.getTime(),
    }));
  }

  /**
   * A merge: everything of `mergedId` now counts for `survivorId`. Events move (their origin
   * stays, for an unmerge); the aggregate rows are added into the survivor's. Popularity does not
   * change (the same interactions, another owner). Idempotent by itself: a second run finds
   * nothing left under `mergedId`. Returns how many events moved.
   */
  async moveProfile(manager: EntityManager, mergedId: string, survivorId: string): Promise<number> {
    // A CTE, so the result is rows (TypeORM returns [rows, count] for a bare UPDATE).
    const [moved] = await manager.query<{ n: number }[]>(
      `WITH moved AS (UPDATE ${this.eventsTable} SET profile_id = $2 WHERE profile_id = $1 RETURNING 1)
       SELECT count(*)::int AS n FROM moved`,
      [mergedId, survivorId],
    );
    await this.mergeAggregate(manager, mergedId, survivorId);
    return moved.n;
  }

  /**
   * An unmerge: events that arrived for `mergedId` and were moved to `survivorId` go back, and
   * both aggregates are rebuilt from their events (the summed rows cannot be split). Only events
   * recorded since interaction_events exists can move back. Returns how many moved.
   */
  async unmoveProfile(
    manager: EntityManager,
    mergedId: string,
    survivorId: string,
  ): Promise<number> {
    const [moved] = await manager.query<{ n: number }[]>(
      `WITH moved AS (UPDATE ${this.eventsTable} SET profile_id = $1
         WHERE origin_profile_id = $1 AND profile_id = $2 RETURNING 1)
       SELECT count(*)::int AS n FROM moved`,
      [mergedId, survivorId],
    );
    if (moved.n === 0) return 0;
    for (const profileId of [mergedId, survivorId].sort()) {
      await this.rebuildAggregate(manager, profileId);
    }
    return moved.n;
  }

  private async mergeAggregate(
    manager: EntityManager,
    mergedId: string,
    survivorId: string,
  ): Promise<void> {
    await manager.query(
      `WITH gone AS (DELETE FROM ${this.interactions} WHERE profile_id = $1 RETURNING *)
       INSERT INTO ${this.interactions} AS i (profile_id, product_id, weight, purchase_count, last_at)
       SELECT $2::uuid, product_id, weight, purchase_count, last_at FROM gone ORDER BY product_id
       ON CONFLICT (profile_id, product_id) DO UPDATE SET
         weight = i.weight + EXCLUDED.weight,
         purchase_count = i.purchase_count + EXCLUDED.purchase_count,
         last_at = GREATEST(i.last_at, EXCLUDED.last_at)`,
      [mergedId, survivorId],
    );
  }

  /** The aggregate of one profile, recomputed from its events (the live weights by kind). */
  private async rebuildAggregate(manager: EntityManager, profileId: string): Promise<void> {
    await manager.query(`DELETE FROM ${this.interactions} WHERE profile_id = $1`, [profileId]);
    await manager.query(
      `INSERT INTO ${this.interactions} (profile_id, product_id, weight, purchase_count, last_at)
       SELECT profile_id, product_id,
              SUM(CASE kind WHEN 'view' THEN $2::double precision WHEN 'cart' THEN $3::double precision
                            WHEN 'purchase' THEN $4::double precision ELSE $5::double precision END),
              COUNT(*) FILTER (WHERE kind = 'purchase'), MAX(occurred_at)
       FROM ${this.eventsTable} WHERE profile_id = $1
       GROUP BY profile_id, product_id`,
      [
        profileId,
        InteractionWeights['Product Viewed'],
        InteractionWeights['Product Added'],
        InteractionWeights['Order Completed'],
        InteractionWeights['Email Link Clicked'],
      ],
    );
  }
}
