import { Injectable } from '@nestjs/common';
import { dataSourceSchema, qualifiedTable } from '@kairos/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import type { InteractionSignal } from './interaction-signals';
import type { HistoryItem } from './recommend';

interface HistoryRow {
  product_id: string;
  weight: number;
  last_at: Date;
  purchase_count: number;
  category: string | null;
}

/** Writes `interactions` together with `product_popularity`, keeping popularity their sum. */
@Injectable()
export class InteractionRepository {
  private readonly interactions: string;
  private readonly popularity: string;
  private readonly products: string;

  constructor(dataSource: DataSource) {
    const schema = dataSourceSchema(dataSource);
    this.interactions = qualifiedTable(schema, 'interactions');
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
    profileId: string,
    signals: readonly InteractionSignal[],
    at: Date,
  ): Promise<void> {
    const sorted = [...signals].sort((a, b) => a.productId.localeCompare(b.productId));
    if (sorted.length === 0) return;
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
      `SELECT i.product_id, i.weight, i.last_at, i.purchase_count, p.category
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
    }));
  }
}
