import type { QueryRunner } from 'typeorm';
import { qualifiedTable } from './identifier';

/**
 * The tables behind the transactional outbox and the consumer inbox, created in a service's
 * own schema by its first migration:
 *
 *   async up(q: QueryRunner) { await outboxTablesUp(q, schemaOf(q)); ... }
 *   async down(q: QueryRunner) { ...; await outboxTablesDown(q, schemaOf(q)); }
 */
export async function outboxTablesUp(queryRunner: QueryRunner, schema: string): Promise<void> {
  const outbox = qualifiedTable(schema, 'outbox');
  const processed = qualifiedTable(schema, 'processed_events');
  // `id` order is publish order. msg_id is fixed at insert time, so a row re-published after a
  // relay crash carries the same ce_id and consumers drop the duplicate.
  await queryRunner.query(`
    CREATE TABLE ${outbox} (
      id           bigserial   PRIMARY KEY,
      topic        text        NOT NULL,
      msg_key      text        NULL,
      msg_type     text        NOT NULL,
      msg_id       text        NOT NULL,
      payload      jsonb       NULL,
      headers      jsonb       NOT NULL DEFAULT '{}'::jsonb,
      created_at   timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz NULL
    )`);
  // The relay only ever reads unpublished rows in id order; this index stays as small as the
  // backlog, however many published rows wait for retention.
  await queryRunner.query(
    `CREATE INDEX "outbox_unpublished_idx" ON ${outbox} (id) WHERE published_at IS NULL`,
  );
  await queryRunner.query(`
    CREATE TABLE ${processed} (
      consumer     text        NOT NULL,
      event_id     text        NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, event_id)
    )`);
  await queryRunner.query(
    `CREATE INDEX "processed_events_processed_at_idx" ON ${processed} (processed_at)`,
  );
}

export async function outboxTablesDown(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`DROP TABLE ${qualifiedTable(schema, 'processed_events')}`);
  await queryRunner.query(`DROP TABLE ${qualifiedTable(schema, 'outbox')}`);
}
