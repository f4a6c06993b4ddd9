import { outboxTablesDown, outboxTablesUp, qualifiedTable, schemaOf } from '@kairos/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Products, interactions, popularity, and the outbox/inbox tables (the inbox dedupes events). */
export class CreateRecommenderTables1763880000000 implements MigrationInterface {
  name = 'CreateRecommenderTables1763880000000';

  async up(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q);
    await outboxTablesUp(q, schema);
    const products = qualifiedTable(schema, 'products');
    const popularity = qualifiedTable(schema, 'product_popularity');
    await q.query(`
      CREATE TABLE ${products} (
        product_id  text        PRIMARY KEY,
        name        text        NOT NULL,
        description text        NOT NULL DEFAULT '',
        category    text        NOT NULL DEFAULT '',
        brand       text        NOT NULL DEFAULT '',
        price       numeric     NULL,
        currency    text        NULL,
        available   boolean     NOT NULL DEFAULT true,
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    // Content-based candidates are read by category, among available products only.
    await q.query(`CREATE INDEX "products_category_idx" ON ${products} (category) WHERE available`);
    await q.query(`
      CREATE TABLE ${qualifiedTable(schema, 'interactions')} (
        profile_id     uuid             NOT NULL,
        product_id     text             NOT NULL,
        weight         double precision NOT NULL,
        purchase_count integer          NOT NULL DEFAULT 0,
        last_at        timestamptz      NOT NULL,
        PRIMARY KEY (profile_id, product_id)
      )`);
    await q.query(`
      CREATE TABLE ${popularity} (
        product_id text             PRIMARY KEY,
        score      double precision NOT NULL
      )`);
    await q.query(`CREATE INDEX "product_popularity_score_idx" ON ${popularity} (score DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q);
    await q.query(`DROP TABLE ${qualifiedTable(schema, 'product_popularity')}`);
    await q.query(`DROP TABLE ${qualifiedTable(schema, 'interactions')}`);
    await q.query(`DROP TABLE ${qualifiedTable(schema, 'products')}`);
    await outboxTablesDown(q, schema);
  }
}
