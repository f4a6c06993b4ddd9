import { qualifiedTable, schemaOf } from '@kairos/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Moves segmentation onto the domain library (@kairos/segmentation/domain):
 *  - computed_traits keeps ONE jsonb document per profile (the domain's ComputedTraits) instead
 *    of a column per trait, plus the profile-level input (birthday, consent, custom traits, but
 *    no email address: only whether there is one and its domain), the time the memberships were
 *    last evaluated at (the sweep's selector) and the primary segment. Existing rows are
 *    converted (the counters they had map onto the document; windows start empty);
 *  - segment_definitions: marketer-defined and built-in segments, versioned and soft-deleted;
 *    `evaluated_version` < `version` means a re-evaluation (or snapshot, or exit of a deleted
 *    segment's members) is still owed — the job runner resumes it after a crash;
 *  - membership_events: the history of entered/exited, for size and churn over time;
 *  - merged_profiles: tombstones of merged-away profiles, so a late event of one goes to its
 *    survivor instead of bringing it back to life.
 */
export class DomainTraitsAndDefinitions1764400000000 implements MigrationInterface {
  name = 'DomainTraitsAndDefinitions1764400000000';

  async up(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q);
    const traits = qualifiedTable(schema, 'computed_traits');
    const ms = (column: string) =>
      `CASE WHEN ${column} IS NULL THEN NULL ELSE (extract(epoch FROM ${column}) * 1000)::bigint END`;
    await q.query(`
      ALTER TABLE ${traits}
        ADD COLUMN traits          jsonb       NOT NULL DEFAULT '{}'::jsonb,
        ADD COLUMN profile         jsonb       NULL,
        ADD COLUMN profile_version integer     NOT NULL DEFAULT 0,
        ADD COLUMN evaluated_at    timestamptz NULL,
        ADD COLUMN primary_segment text        NULL,
        ADD COLUMN created_at      timestamptz NOT NULL DEFAULT now()`);
    await q.query(`
      UPDATE ${traits} SET
        traits = jsonb_build_object(
          'profileId', profile_id::text,
          'eventCount', event_count,
          'lastEventAt', ${ms('last_event_at')},
          'orderCount', order_count,
          'ltv', total_spent,
          'lastOrderAt', ${ms('last_order_at')},
          'cart', cart,
          'lastCartActivityAt', ${ms('last_cart_activity_at')}),
        created_at = updated_at`);
    await q.query(`
      ALTER TABLE ${traits}
        DROP COLUMN event_count, DROP COLUMN order_count, DROP COLUMN total_spent,
        DROP COLUMN last_event_at, DROP COLUMN last_order_at, DROP COLUMN cart,
        DROP COLUMN last_cart_activity_at`);
    // The sweep reads "evaluated before today" in batches.
    await q.query(
      `CREATE INDEX "computed_traits_evaluated_idx" ON ${traits} (evaluated_at NULLS FIRST, profile_id)`,
    );

    await q.query(`
      CREATE TABLE ${qualifiedTable(schema, 'segment_definitions')} (
        id                text        PRIMARY KEY,
        name              text        NOT NULL,
        description       text        NULL,
        priority          integer     NOT NULL DEFAULT 0,
        kind              text        NOT NULL CHECK (kind IN ('dynamic', 'static')),
        definition        jsonb       NOT NULL,
        version           integer     NOT NULL DEFAULT 1,
        evaluated_version integer     NOT NULL DEFAULT 0,
        built_in          boolean     NOT NULL DEFAULT false,
        created_at        timestamptz NOT NULL,
        updated_at        timestamptz NOT NULL,
        deleted_at        timestamptz NULL
      )`);
    await q.query(`
      CREATE TABLE ${qualifiedTable(schema, 'membership_events')} (
        id          bigserial   PRIMARY KEY,
        profile_id  uuid        NOT NULL,
        segment_id  text        NOT NULL,
        change      text        NOT NULL CHECK (change IN ('entered', 'exited')),
        at          timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        cause_id    text        NOT NULL
      )`);
    await q.query(
      `CREATE INDEX "membership_events_segment_idx" ON ${qualifiedTable(schema, 'membership_events')} (segment_id, recorded_at)`,
    );
    await q.query(`
      CREATE TABLE ${qualifiedTable(schema, 'merged_profiles')} (
        profile_id  uuid        PRIMARY KEY,
        survivor_id uuid        NOT NULL,
        merge_id    uuid        NOT NULL,
        merged_at   timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE INDEX "merged_profiles_survivor_idx" ON ${qualifiedTable(schema, 'merged_profiles')} (survivor_id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q);
    const traits = qualifiedTable(schema, 'computed_traits');
    await q.query(`DROP TABLE ${qualifiedTable(schema, 'merged_profiles')}`);
    await q.query(`DROP TABLE ${qualifiedTable(schema, 'membership_events')}`);
    await q.query(`DROP TABLE ${qualifiedTable(schema, 'segment_definitions')}`);
    await q.query(`DROP INDEX ${qualifiedTable(schema, 'computed_traits_evaluated_idx')}`);
    await q.query(`
      ALTER TABLE ${traits}
        ADD COLUMN event_count           integer     NOT NULL DEFAULT 0,
        ADD COLUMN order_count           integer     NOT NULL DEFAULT 0,
        ADD COLUMN total_spent           numeric     NOT NULL DEFAULT 0,
        ADD COLUMN last_event_at         timestamptz NULL,
        ADD COLUMN last_order_at         timestamptz NULL,
        ADD COLUMN cart                  jsonb       NOT NULL DEFAULT '[]'::jsonb,
        ADD COLUMN last_cart_activity_at timestamptz NULL`);
    const time = (key: string) =>
      `CASE WHEN jsonb_typeof(traits->'${key}') = 'number' THEN to_timestamp((traits->>'${key}')::numeric / 1000) END`;
    await q.query(`
      UPDATE ${traits} SET
        event_count = COALESCE((traits->>'eventCount')::integer, 0),
        order_count = COALESCE((traits->>'orderCount')::integer, 0),
        total_spent = COALESCE((traits->>'ltv')::numeric, 0),
        last_event_at = ${time('lastEventAt')},
        last_order_at = ${time('lastOrderAt')},
        cart = COALESCE(traits->'cart', '[]'::jsonb),
        last_cart_activity_at = ${time('lastCartActivityAt')}`);
    await q.query(`
      ALTER TABLE ${traits}
        DROP COLUMN traits, DROP COLUMN profile, DROP COLUMN profile_version,
        DROP COLUMN evaluated_at, DROP COLUMN primary_segment, DROP COLUMN created_at`);
  }
}
