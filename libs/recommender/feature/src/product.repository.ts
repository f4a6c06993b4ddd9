import { Injectable } from '@nestjs/common';
import type { ProductUpserted } from '@kairos/contracts';
import { dataSourceSchema, qualifiedTable } from '@kairos/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import type { LearnedProduct } from './interaction-signals';
import type { CandidateProduct } from './recommend';

interface CandidateRow {
  product_id: string;
  name: string;
  price: string | null;
  category: string;
  available: boolean;
  popularity: number;
}

/** Reads and writes `products` (and reads popularity with it, for candidates). */
@Injectable()
export class ProductRepository {
  private readonly products: string;
  private readonly popularity: string;

  constructor(dataSource: DataSource) {
    const schema = dataSourceSchema(dataSource);
    this.products = qualifiedTable(schema, 'products');
    this.popularity = qualifiedTable(schema, 'product_popularity');
  }

  /** The catalog is the source of truth: it overwrites whatever we had (learned or older). */
  async upsertFromCatalog(
    manager: EntityManager,
    product: ProductUpserted,
    now: Date,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO ${this.products} (product_id, name, description, category, brand, price, currency, available, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (product_id) DO UPDATE SET
         name = EXCLUDED.name, description = EXCLUDED.description, category = EXCLUDED.category,
         brand = EXCLUDED.brand, price = EXCLUDED.price, currency = EXCLUDED.currency,
         available = EXCLUDED.available, updated_at = EXCLUDED.updated_at`,
      [
        product.productId,
        product.name,
        product.description,
        product.category,
        product.brand,
        product.price,
        product.currency,
        product.available,
        now,
      ],
    );
  }

  /** A catalog tombstone: keep the row (interactions refer to it) but never recommend it. */
  async markUnavailable(manager: EntityManager, productId: string, now: Date): Promise<void> {
    await manager.query(
      `UPDATE ${this.products} SET available = false, updated_at = $2 WHERE product_id = $1`,
      [productId, now],
    );
  }

  /**
   * Products first seen in events, so they can be recommended before the catalog mentions them.
   * Never overwrites a row (the catalog's data wins); only products with a name are learned,
   * because a recommendation must have something to show.
   */
  async learn(
    manager: EntityManager,
    products: readonly LearnedProduct[],
    now: Date,
  ): Promise<void> {
    const named = products.filter((p) => p.name !== undefined);
    if (named.length === 0) return;
    const params: unknown[] = [];
    const tuples = named.map((p) => {
      params.push(
        p.productId,
        p.name,
        p.category ?? '',
        p.brand ?? '',
        p.price ?? null,
        p.currency ?? null,
        now,
      );
      const i = params.length - 7;
      return `($${i + 1}, $${i + 2}, $${i + 3}, $${i + 4}, $${i + 5}, $${i + 6}, true, $${i + 7})`;
    });
    await manager.query(
      `INSERT INTO ${this.products} (product_id, name, category, brand, price, currency, available, updated_at)
       VALUES ${tuples.join(', ')} ON CONFLICT (product_id) DO NOTHING`,
      params,
    );
  }

  /** The most popular available products. */
  async popular(manager: EntityManager, limit: number): Promise<CandidateProduct[]> {
    const rows = await manager.query<CandidateRow[]>(
      `SELECT p.product_id, p.name, p.price, p.category, p.available, pp.score AS popularity
       FROM ${this.popularity} pp JOIN ${this.products} p USING (product_id)
       WHERE p.available
       ORDER BY pp.score DESC, p.product_id
       LIMIT $1`,
      [limit],
    );
    return rows.map(toCandidate);
  }

  /** Available products of some categories, most popular first. */
  async inCategories(
    manager: EntityManager,
    categories: readonly string[],
    limit: number,
  ): Promise<CandidateProduct[]> {
    if (categories.length === 0) return [];
    const rows = await manager.query<CandidateRow[]>(
      `SELECT p.product_id, p.name, p.price, p.category, p.available, COALESCE(pp.score, 0) AS popularity
       FROM ${this.products} p LEFT JOIN ${this.popularity} pp USING (product_id)
       WHERE p.available AND p.category = ANY($1::text[])
       ORDER BY COALESCE(pp.score, 0) DESC, p.product_id
       LIMIT $2`,
      [[...categories], limit],
    );
    return rows.map(toCandidate);
  }
}

function toCandidate(row: CandidateRow): CandidateProduct {
  return {
    productId: row.product_id,
    name: row.name,
    price: row.price === null ? null : Number(row.price),
    category: row.category,
    available: row.available,
    popularity: Number(row.popularity),
  };
}
