import { Injectable } from '@nestjs/common';
import { dataSourceSchema, qualifiedTable } from '@kairos/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import { InteractionLog } from './interaction-log';
import type { InteractionKind } from './interaction-signals';
import type { CatalogRow } from './trained-model';

interface ProductRow {
  product_id: string;
  name: string;
  description: string;
  category: string;
  brand: string;
  price: string | null;
  available: boolean;
}

interface EventRow {
  id: string;
  profile_id: string;
  product_id: string;
  kind: InteractionKind;
  occurred_at: Date;
}

/** Rows per round trip when scanning the events (keyset pagination on the id). */
const EVENT_BATCH = 20_000;

/** Reads what training and evaluation learn from: the catalogue and all interaction events. */
@Injectable()
export class TrainingDataRepository {
  private readonly products: string;
  private readonly events: string;

  constructor(dataSource: DataSource) {
    const schema = dataSourceSchema(dataSource);
    this.products = qualifiedTable(schema, 'products');
    this.events = qualifiedTable(schema, 'interaction_events');
  }

  /** Every product, available or not, in product-id order (the models' item order). */
  async catalog(manager: EntityManager): Promise<CatalogRow[]> {
    const rows = await manager.query<ProductRow[]>(
      `SELECT product_id, name, description, category, brand, price, available
       FROM ${this.products} ORDER BY product_id COLLATE "C"`,
    );
    return rows.map((r) => ({
      productId: r.product_id,
      name: r.name,
      description: r.description,
      category: r.category,
      brand: r.brand,
      price: r.price === null ? null : Number(r.price),
      available: r.available,
    }));
  }

  /**
   * All events up to `until` (inclusive; all when omitted), scanned in id order in batches so no
   * single query holds them all. `onBatch` gets the running count.
   */
  async interactions(
    manager: EntityManager,
    options: { until?: Date; onBatch?: (loaded: number) => void } = {},
  ): Promise<InteractionLog> {
    const log = new InteractionLog();
    let after = '0';
    for (;;) {
      const rows = await manager.query<EventRow[]>(
        `SELECT id, profile_id, product_id, kind, occurred_at FROM ${this.events}
         WHERE id > $1 AND ($2::timestamptz IS NULL OR occurred_at <= $2)
         ORDER BY id LIMIT $3`,
        [after, options.until ?? null, EVENT_BATCH],
      );
      for (const r of rows) log.add(r.profile_id, r.product_id, r.kind, r.occurred_at.getTime());
      options.onBatch?.(log.size);
      if (rows.length < EVENT_BATCH) return log;
      after = rows[rows.length - 1].id;
    }
  }
}
