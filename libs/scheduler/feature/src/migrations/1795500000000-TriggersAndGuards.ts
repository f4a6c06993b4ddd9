import { qualifiedTable, schemaOf } from '@kairos/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Configurable triggers, leased timers, the firing ledger and the engagement state the guards
 * read:
 *
 *  - trigger_definitions, seeded with the built-ins (abandoned cart, birthday, welcome,
 *    re-engagement, dormant); timers and decisions name their definition.
 *  - timers get a lease (lease_until/lease_owner/attempts): claimed in a short transaction,
 *    processed in another; an unfinished claim is picked up again after its lease.
 *  - firings: one row per message request, primary key = the idempotency key, so a retried or
 *    duplicated firing can never produce a second request. It is also the send ledger the
 *    frequency caps and the overlap rule count, updated by outcomes.
 *  - profile_activity: visits, purchases, opens (24 local-hour buckets for send-time
 *    optimization), bounces, consent events, subscription time.
 *
 * The idempotency key of a timer is no longer unique (a birthday timer cancelled and re-armed
 * keeps its year's key); uniqueness moved to firings, where it matters.
 */
export class TriggersAndGuards1795500000000 implements MigrationInterface {
  name = 'TriggersAndGuards1795500000000';

  async up(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q);
    const timers = qualifiedTable(schema, 'timers');
    const decisions = qualifiedTable(schema, 'decisions');
    const definitions = qualifiedTable(schema, 'trigger_definitions');
    const firings = qualifiedTable(schema, 'firings');
    const activity = qualifiedTable(schema, 'profile_activity');

    await q.query(`
      CREATE TABLE ${definitions} (
        id          text        PRIMARY KEY,
        kind        text        NOT NULL CHECK (kind IN ('abandoned_cart', 'birthday', 'welcome', 're_engagement', 'segment_entered')),
        template    text        NOT NULL,
        category    text        NOT NULL CHECK (category IN ('marketing', 'transactional')),
        -- Higher wins when several campaigns want one person in the same window.
        priority    integer     NOT NULL,
        enabled     boolean     NOT NULL DEFAULT true,
        -- For kind 'segment_entered': the segment whose entry starts it.
        segment_id  text        NULL,
        params      jsonb       NOT NULL DEFAULT '{}'::jsonb,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'segment_entered') = (segment_id IS NOT NULL))
      )`);
    await q.query(
      `CREATE INDEX "trigger_definitions_segment_idx" ON ${definitions} (segment_id) WHERE segment_id IS NOT NULL`,
    );
    await q.query(`
      INSERT INTO ${definitions} (id, kind, template, category, priority, params) VALUES
        ('welcome',        'welcome',        'welcome',                 'marketing', 90, '{"urgent": true, "delayMs": 0, "offerValidDays": 30}'),
        ('abandoned_cart', 'abandoned_cart', 'abandoned-cart',          'marketing', 50, '{"urgent": true}'),
        ('birthday',       'birthday',       'birthday',                'marketing', 40, '{"urgent": true, "localTime": "09:00"}'),
        ('re_engagement',  're_engagement',  're-engagement',           'marketing', 20, '{"urgent": false, "minVisits": 3, "windowDays": 7, "sessionGapMinutes": 30, "delayMs": 86400000, "cooldownDays": 30}'),
        ('dormant',        're_engagement',  're-engagement-dormant',   'marketing', 10, '{"urgent": false, "afterDays": 60}')`);

    await q.query(`ALTER TABLE ${timers} ADD COLUMN definition_id text NULL`);
    await q.query(`UPDATE ${timers} SET definition_id = kind`);
    await q.query(`ALTER TABLE ${timers} ALTER COLUMN definition_id SET NOT NULL`);
    await q.query(`ALTER TABLE ${timers} ADD COLUMN lease_until timestamptz NULL`);
    await q.query(`ALTER TABLE ${timers} ADD COLUMN lease_owner uuid NULL`);
    await q.query(`ALTER TABLE ${timers} ADD COLUMN attempts integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE ${timers} DROP CONSTRAINT "timers_idempotency_key_uq"`);
    await q.query(`CREATE INDEX "timers_idempotency_key_idx" ON ${timers} (idempotency_key)`);
    await q.query(`DROP INDEX ${qualifiedTable(schema, 'timers_one_armed_per_kind_uq')}`);
    // One armed timer per profile and definition: moving a timer updates it, never adds a second.
    await q.query(
      `CREATE UNIQUE INDEX "timers_one_armed_per_definition_uq" ON ${timers} (profile_id, definition_id) WHERE state = 'armed'`,
    );

    await q.query(`ALTER TABLE ${decisions} ADD COLUMN definition_id text NULL`);
    await q.query(`ALTER TABLE ${decisions} ADD COLUMN due_at timestamptz NULL`);
    await q.query(`UPDATE ${decisions} SET definition_id = kind`);
    await q.query(`ALTER TABLE ${decisions} DROP CONSTRAINT "decisions_decision_check"`);
    await q.query(
      `ALTER TABLE ${decisions} ADD CONSTRAINT "decisions_decision_check" CHECK (decision IN ('armed', 'moved', 'cancelled', 'deferred', 'fired', 'suppressed'))`,
    );

    await q.query(`
      CREATE TABLE ${firings} (
        idempotency_key text        PRIMARY KEY,
        request_id      uuid        NOT NULL,
        timer_id        uuid        NOT NULL,
        profile_id      uuid        NOT NULL,
        definition_id   text        NOT NULL,
        kind            text        NOT NULL,
        category        text        NOT NULL,
        priority        integer     NOT NULL,
        fired_at        timestamptz NOT NULL,
        status          text        NOT NULL CHECK (status IN ('requested', 'sent', 'held', 'failed', 'suppressed')),
        outcome_at      timestamptz NULL
      )`);
    await q.query(`CREATE INDEX "firings_profile_at_idx" ON ${firings} (profile_id, fired_at)`);

    await q.query(`
      CREATE TABLE ${activity} (
        profile_id          uuid          PRIMARY KEY,
        visits              timestamptz[] NOT NULL DEFAULT '{}',
        last_purchase_at    timestamptz   NULL,
        last_open_at        timestamptz   NULL,
        -- Opens per local hour 0..23 (send-time optimization).
        open_hours          integer[]     NOT NULL DEFAULT array_fill(0, ARRAY[24]),
        bounced_at          timestamptz   NULL,
        consent_status      text          NULL CHECK (consent_status IN ('subscribed', 'unsubscribed')),
        consent_at          timestamptz   NULL,
        subscribed_at       timestamptz   NULL,
        updated_at          timestamptz   NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q);
    const timers = qualifiedTable(schema, 'timers');
    const decisions = qualifiedTable(schema, 'decisions');
    await q.query(`DROP TABLE ${qualifiedTable(schema, 'profile_activity')}`);
    await q.query(`DROP TABLE ${qualifiedTable(schema, 'firings')}`);
    // Decisions the old schema cannot express go; the rest keeps its history.
    await q.query(`DELETE FROM ${decisions} WHERE decision = 'deferred'`);
    await q.query(`ALTER TABLE ${decisions} DROP CONSTRAINT "decisions_decision_check"`);
    await q.query(
      `ALTER TABLE ${decisions} ADD CONSTRAINT "decisions_decision_check" CHECK (decision IN ('armed', 'moved', 'cancelled', 'fired', 'suppressed'))`,
    );
    await q.query(`ALTER TABLE ${decisions} DROP COLUMN due_at`);
    await q.query(`ALTER TABLE ${decisions} DROP COLUMN definition_id`);
    // The old schema has one armed timer per (profile, kind): keep only abandoned-cart timers,
    // the one kind it knew, and make idempotency keys unique again.
    await q.query(`DELETE FROM ${timers} WHERE definition_id <> 'abandoned_cart'`);
    await q.query(`DROP INDEX ${qualifiedTable(schema, 'timers_one_armed_per_definition_uq')}`);
    await q.query(
      `CREATE UNIQUE INDEX "timers_one_armed_per_kind_uq" ON ${timers} (profile_id, kind) WHERE state = 'armed'`,
    );
    await q.query(`DROP INDEX ${qualifiedTable(schema, 'timers_idempotency_key_idx')}`);
    await q.query(
      `ALTER TABLE ${timers} ADD CONSTRAINT "timers_idempotency_key_uq" UNIQUE (idempotency_key)`,
    );
    await q.query(`ALTER TABLE ${timers} DROP COLUMN attempts`);
    await q.query(`ALTER TABLE ${timers} DROP COLUMN lease_owner`);
    await q.query(`ALTER TABLE ${timers} DROP COLUMN lease_until`);
    await q.query(`ALTER TABLE ${timers} DROP COLUMN definition_id`);
    await q.query(`DROP TABLE ${qualifiedTable(schema, 'trigger_definitions')}`);
  }
}
