import { qualifiedTable, schemaOf } from '@kairos/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Probabilistic matching: every profile's blocking keys (so candidates are found by an index
 * look-up on the key, never by scanning profiles) and the review queue for pairs that score
 * between the two thresholds.
 *
 * Profiles that exist before this migration have no keys yet; `nx run
 * identity-resolution:match-batch` computes them (and matches) for all profiles.
 */
export class ProbabilisticMatching1795600000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q);
    const profiles = qualifiedTable(schema, 'profiles');
    const keys = qualifiedTable(schema, 'blocking_keys');
    const reviews = qualifiedTable(schema, 'match_reviews');
    // The primary key (key, profile_id) is the look-up index (by key). A merged-away profile's
    // keys go with its row (ON DELETE CASCADE); an unmerge re-creates them.
    await q.query(`
      CREATE TABLE ${keys} (
        key        text NOT NULL,
        profile_id uuid NOT NULL REFERENCES ${profiles} (id) ON DELETE CASCADE,
        PRIMARY KEY (key, profile_id)
      )`);
    await q.query(`CREATE INDEX "blocking_keys_profile_id_idx" ON ${keys} (profile_id)`);
    // No foreign keys: like the merge audit, a review outlives the profiles it names.
    await q.query(`
      CREATE TABLE ${reviews} (
        id          uuid             PRIMARY KEY,
        profile_a   uuid             NOT NULL,
        profile_b   uuid             NOT NULL,
        score       double precision NOT NULL,
        comparisons jsonb            NOT NULL,
        status      text             NOT NULL DEFAULT 'open'
                                     CHECK (status IN ('open', 'merged', 'rejected')),
        created_at  timestamptz      NOT NULL,
        decided_at  timestamptz      NULL,
        CHECK (profile_a < profile_b)
      )`);
    // One open review per pair: concurrent scorers meet here (INSERT … ON CONFLICT).
    await q.query(
      `CREATE UNIQUE INDEX "match_reviews_open_pair_idx" ON ${reviews} (profile_a, profile_b) WHERE status = 'open'`,
    );
    await q.query(
      `CREATE INDEX "match_reviews_pair_idx" ON ${reviews} (profile_a, profile_b, status)`,
    );
    await q.query(`CREATE INDEX "match_reviews_status_idx" ON ${reviews} (status, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q);
    await q.query(`DROP TABLE ${qualifiedTable(schema, 'match_reviews')}`);
    await q.query(`DROP TABLE ${qualifiedTable(schema, 'blocking_keys')}`);
  }
}
