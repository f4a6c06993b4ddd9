import { qualifiedTable, schemaOf } from '@kairos/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Guard rails and reversible merges: a merge is 'applied' until an operator reverts it; links
 * the guard rails refused are audited in merge_refusals; each profile version also keeps the
 * event times of its values (field_times), so an unmerge can restore a profile exactly.
 */
export class GuardRailsAndUnmerge1795500000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q);
    const merges = qualifiedTable(schema, 'merges');
    const refusals = qualifiedTable(schema, 'merge_refusals');
    const versions = qualifiedTable(schema, 'profile_versions');
    await q.query(`
      ALTER TABLE ${merges}
        ADD COLUMN status text NOT NULL DEFAULT 'applied' CHECK (status IN ('applied', 'reverted')),
        ADD COLUMN survivor_version_before integer NULL,
        ADD COLUMN reverted_at timestamptz NULL,
        ADD COLUMN revert_reason text NULL`);
    // No foreign keys: like the merge audit, a refusal outlives the profiles it names.
    await q.query(`
      CREATE TABLE ${refusals} (
        id                uuid        PRIMARY KEY,
        profile_id        uuid        NOT NULL,
        other_profile_id  uuid        NULL,
        rule              text        NOT NULL,
        identifiers       jsonb       NOT NULL,
        evidence_event_id text        NOT NULL,
        refused_at        timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX "merge_refusals_profile_id_idx" ON ${refusals} (profile_id)`);
    await q.query(
      `CREATE INDEX "merge_refusals_other_profile_id_idx" ON ${refusals} (other_profile_id)`,
    );
    await q.query(`ALTER TABLE ${versions} ADD COLUMN field_times jsonb NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q);
    await q.query(
      `ALTER TABLE ${qualifiedTable(schema, 'profile_versions')} DROP COLUMN field_times`,
    );
    await q.query(`DROP TABLE ${qualifiedTable(schema, 'merge_refusals')}`);
    await q.query(`
      ALTER TABLE ${qualifiedTable(schema, 'merges')}
        DROP COLUMN revert_reason,
        DROP COLUMN reverted_at,
        DROP COLUMN survivor_version_before,
        DROP COLUMN status`);
  }
}
