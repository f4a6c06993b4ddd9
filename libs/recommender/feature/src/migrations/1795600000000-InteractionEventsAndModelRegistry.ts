import { qualifiedTable, schemaOf } from '@kairos/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What training needs: every interaction as its own row (kind and time, so weights and decay are
 * applied at the training's reference time, not frozen at write time), the model registry
 * (`model_runs`), the trained factors a restarted service folds in against (`model_artifacts`),
 * and the offline evaluations (`model_evaluations`).
 *
 * Not backfilled from `interactions`: that table keeps only summed weights, from which the kinds
 * and times cannot be recovered. Training sees events recorded from this migration on.
 */
export class InteractionEventsAndModelRegistry1795600000000 implements MigrationInterface {
  name = 'InteractionEventsAndModelRegistry1795600000000';

  async up(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q);
    const events = qualifiedTable(schema, 'interaction_events');
    const runs = qualifiedTable(schema, 'model_runs');
    await q.query(`
      CREATE TABLE ${events} (
        id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_id          text        NOT NULL,
        profile_id        uuid        NOT NULL,
        origin_profile_id uuid        NOT NULL,
        product_id        text        NOT NULL,
        kind              text        NOT NULL
          CHECK (kind IN ('view', 'cart', 'purchase', 'email_click')),
        occurred_at       timestamptz NOT NULL,
        CONSTRAINT interaction_events_event_product_key UNIQUE (event_id, product_id)
      )`);
    // A profile's history (fold-in, merges) and the training scan (by id, in batches).
    await q.query(
      `CREATE INDEX "interaction_events_profile_idx" ON ${events} (profile_id, occurred_at)`,
    );
    // Unmerge moves rows back by where they came from.
    await q.query(
      `CREATE INDEX "interaction_events_origin_idx" ON ${events} (origin_profile_id) WHERE origin_profile_id <> profile_id`,
    );
    await q.query(`
      CREATE TABLE ${runs} (
        id             uuid        PRIMARY KEY,
        trigger        text        NOT NULL,
        status         text        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
        started_at     timestamptz NOT NULL,
        finished_at    timestamptz NULL,
        reference_time timestamptz NOT NULL,
        parameters     jsonb       NOT NULL,
        users          integer     NULL,
        items          integer     NULL,
        nnz            integer     NULL,
        duration_ms    integer     NULL,
        metrics        jsonb       NULL,
        error          text        NULL
      )`);
    await q.query(`CREATE INDEX "model_runs_started_idx" ON ${runs} (started_at DESC)`);
    await q.query(`
      CREATE TABLE ${qualifiedTable(schema, 'model_artifacts')} (
        run_id       uuid    PRIMARY KEY REFERENCES ${runs} (id) ON DELETE CASCADE,
        format       text    NOT NULL,
        factors      integer NOT NULL,
        item_ids     text[]  NOT NULL,
        item_factors bytea   NOT NULL,
        als_config   jsonb   NOT NULL
      )`);
    await q.query(`
      CREATE TABLE ${qualifiedTable(schema, 'model_evaluations')} (
        id         uuid        PRIMARY KEY,
        created_at timestamptz NOT NULL,
        parameters jsonb       NOT NULL,
        results    jsonb       NOT NULL,
        output_dir text        NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q);
    await q.query(`DROP TABLE ${qualifiedTable(schema, 'model_evaluations')}`);
    await q.query(`DROP TABLE ${qualifiedTable(schema, 'model_artifacts')}`);
    await q.query(`DROP TABLE ${qualifiedTable(schema, 'model_runs')}`);
    await q.query(`DROP TABLE ${qualifiedTable(schema, 'interaction_events')}`);
  }
}
