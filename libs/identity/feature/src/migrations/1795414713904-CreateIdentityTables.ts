import { outboxTablesDown, outboxTablesUp, qualifiedTable, schemaOf } from '@kairos/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The identity graph: profiles, the identifiers that point to them, every profile version,
 * and the merge audit; plus the outbox and processed-events tables.
 */
export class CreateIdentityTables1795414713904 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q);
    await outboxTablesUp(q, schema);
    const profiles = qualifiedTable(schema, 'profiles');
    const identifiers = qualifiedTable(schema, 'identifiers');
    const versions = qualifiedTable(schema, 'profile_versions');
    const merges = qualifiedTable(schema, 'merges');
    await q.query(`
      CREATE TABLE ${profiles} (
        id            uuid        PRIMARY KEY,
        version       integer     NOT NULL CHECK (version > 0),
        email         text        NULL,
        phone         text        NULL,
        first_name    text        NULL,
        last_name     text        NULL,
        birthday      date        NULL,
        timezone      text        NULL,
        email_consent text        NOT NULL DEFAULT 'unknown'
                                  CHECK (email_consent IN ('subscribed', 'unsubscribed', 'unknown')),
        traits        jsonb       NOT NULL DEFAULT '{}'::jsonb,
        field_times   jsonb       NOT NULL DEFAULT '{}'::jsonb,
        created_at    timestamptz NOT NULL,
        updated_at    timestamptz NOT NULL
      )`);
    // The primary key is the graph's invariant: one (type, value) → one profile. Concurrent
    // resolvers that both try to create an identifier meet here (INSERT … ON CONFLICT).
    await q.query(`
      CREATE TABLE ${identifiers} (
        type          text        NOT NULL,
        value         text        NOT NULL,
        profile_id    uuid        NOT NULL REFERENCES ${profiles} (id),
        first_seen_at timestamptz NOT NULL,
        PRIMARY KEY (type, value)
      )`);
    await q.query(`CREATE INDEX "identifiers_profile_id_idx" ON ${identifiers} (profile_id)`);
    // No foreign keys below: the history and audit of a merged-away profile outlive its row.
    await q.query(`
      CREATE TABLE ${versions} (
        profile_id     uuid        NOT NULL,
        version        integer     NOT NULL,
        snapshot       jsonb       NOT NULL,
        cause_event_id text        NULL,
        created_at     timestamptz NOT NULL,
        PRIMARY KEY (profile_id, version)
      )`);
    await q.query(`
      CREATE TABLE ${merges} (
        id                  uuid        PRIMARY KEY,
        survivor_profile_id uuid        NOT NULL,
        merged_profile_id   uuid        NOT NULL,
        rule                text        NOT NULL,
        evidence_event_id   text        NOT NULL,
        identifiers         jsonb       NOT NULL,
        merged_at           timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE INDEX "merges_survivor_profile_id_idx" ON ${merges} (survivor_profile_id)`,
    );
    await q.query(`CREATE INDEX "merges_merged_profile_id_idx" ON ${merges} (merged_profile_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q);
    await q.query(`DROP TABLE ${qualifiedTable(schema, 'merges')}`);
    await q.query(`DROP TABLE ${qualifiedTable(schema, 'profile_versions')}`);
    await q.query(`DROP TABLE ${qualifiedTable(schema, 'identifiers')}`);
    await q.query(`DROP TABLE ${qualifiedTable(schema, 'profiles')}`);
    await outboxTablesDown(q, schema);
  }
}
