import { outboxTablesDown, outboxTablesUp, qualifiedTable, schemaOf } from '@kairos/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Timers, the decision ledger, the profile projection, and the outbox/inbox tables. */
export class SchedulerInit1795414543983 implements MigrationInterface {
  name = 'SchedulerInit1795414543983';

  async up(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q);
    await outboxTablesUp(q, schema);
    const timers = qualifiedTable(schema, 'timers');
    const decisions = qualifiedTable(schema, 'decisions');
    const profiles = qualifiedTable(schema, 'profiles');

    await q.query(`
      CREATE TABLE ${timers} (
        id              uuid        PRIMARY KEY,
        kind            text        NOT NULL,
        profile_id      uuid        NOT NULL,
        due_at          timestamptz NOT NULL,
        state           text        NOT NULL CHECK (state IN ('armed', 'fired', 'cancelled')),
        payload         jsonb       NOT NULL DEFAULT '{}'::jsonb,
        trace_headers   jsonb       NOT NULL DEFAULT '{}'::jsonb,
        idempotency_key text        NOT NULL,
        created_at      timestamptz NOT NULL,
        updated_at      timestamptz NOT NULL,
        fired_at        timestamptz NULL,
        CONSTRAINT "timers_idempotency_key_uq" UNIQUE (idempotency_key)
      )`);
    // One armed timer per profile and kind: moving a timer updates it, never adds a second.
    await q.query(
      `CREATE UNIQUE INDEX "timers_one_armed_per_kind_uq" ON ${timers} (profile_id, kind) WHERE state = 'armed'`,
    );
    // The dispatcher's scan: only armed timers, in due order; stays as small as the armed set.
    await q.query(
      `CREATE INDEX "timers_armed_due_idx" ON ${timers} (due_at) WHERE state = 'armed'`,
    );

    await q.query(`
      CREATE TABLE ${decisions} (
        id             uuid        PRIMARY KEY,
        -- Insertion order: decisions taken at the same clock instant still list in the order made.
        seq            bigint      GENERATED ALWAYS AS IDENTITY,
        profile_id     uuid        NOT NULL,
        timer_id       uuid        NULL,
        kind           text        NOT NULL,
        decision       text        NOT NULL CHECK (decision IN ('armed', 'moved', 'cancelled', 'fired', 'suppressed')),
        reason         text        NULL,
        at             timestamptz NOT NULL,
        outcome        text        NULL,
        outcome_reason text        NULL,
        outcome_at     timestamptz NULL
      )`);
    await q.query(`CREATE INDEX "decisions_profile_at_idx" ON ${decisions} (profile_id, at, seq)`);
    await q.query(`CREATE INDEX "decisions_timer_idx" ON ${decisions} (timer_id)`);

    await q.query(`
      CREATE TABLE ${profiles} (
        profile_id    uuid        PRIMARY KEY,
        version       integer     NOT NULL,
        email_present boolean     NOT NULL,
        email_consent text        NOT NULL,
        timezone      text        NULL,
        birthday      date        NULL,
        updated_at    timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q);
    await q.query(`DROP TABLE ${qualifiedTable(schema, 'profiles')}`);
    await q.query(`DROP TABLE ${qualifiedTable(schema, 'decisions')}`);
    await q.query(`DROP TABLE ${qualifiedTable(schema, 'timers')}`);
    await outboxTablesDown(q, schema);
  }
}
