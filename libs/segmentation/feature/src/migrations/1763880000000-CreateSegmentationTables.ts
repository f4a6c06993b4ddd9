import { outboxTablesDown, outboxTablesUp, qualifiedTable, schemaOf } from '@kairos/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Computed traits, segment memberships, and the outbox/inbox tables. */
export class CreateSegmentationTables1763880000000 implements MigrationInterface {
  name = 'CreateSegmentationTables1763880000000';

  async up(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q);
    await outboxTablesUp(q, schema);
    await q.query(`
      CREATE TABLE ${qualifiedTable(schema, 'computed_traits')} (
        profile_id            uuid        PRIMARY KEY,
        event_count           integer     NOT NULL DEFAULT 0,
        order_count           integer     NOT NULL DEFAULT 0,
        total_spent           numeric     NOT NULL DEFAULT 0,
        last_event_at         timestamptz NULL,
        last_order_at         timestamptz NULL,
        cart                  jsonb       NOT NULL DEFAULT '[]'::jsonb,
        last_cart_activity_at timestamptz NULL,
        version               bigint      NOT NULL DEFAULT 0,
        updated_at            timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE ${qualifiedTable(schema, 'memberships')} (
        profile_id uuid        NOT NULL,
        segment_id text        NOT NULL,
        entered_at timestamptz NOT NULL,
        PRIMARY KEY (profile_id, segment_id)
      )`);
    // Listing a segment's members (audiences, sweeps) reads by segment.
    await q.query(
      `CREATE INDEX "memberships_segment_idx" ON ${qualifiedTable(schema, 'memberships')} (segment_id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q);
    await q.query(`DROP TABLE ${qualifiedTable(schema, 'memberships')}`);
    await q.query(`DROP TABLE ${qualifiedTable(schema, 'computed_traits')}`);
    await outboxTablesDown(q, schema);
  }
}
