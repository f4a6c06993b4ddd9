import { Injectable } from '@nestjs/common';
import { dataSourceSchema, qualifiedTable } from '@kairos/persistence';
import type { EntityManager } from 'typeorm';

/** Keys shared by more profiles than this are too common to discriminate (a busy postcode). */
export const MAX_BLOCK_SIZE = 200;
/** At most this many candidates are scored for one profile (the most keys shared first). */
export const MAX_CANDIDATES = 100;

/** The blocking-key index; every method runs in the caller's transaction. */
@Injectable()
export class BlockingKeyRepository {
  /** Make `keys` exactly the profile's keys (only the difference is written). */
  async replace(manager: EntityManager, profileId: string, keys: readonly string[]): Promise<void> {
    await manager.query(
      `DELETE FROM ${table(manager)} WHERE profile_id = $1 AND NOT (key = ANY($2::text[]))`,
      [profileId, [...keys]],
    );
    if (keys.length === 0) return;
    await manager.query(
      `INSERT INTO ${table(manager)} (key, profile_id)
       SELECT k, $1::uuid FROM unnest($2::text[]) AS k
       ON CONFLICT DO NOTHING`,
      [profileId, [...keys]],
    );
  }

  /**
   * Profiles sharing at least one of `keys` with `profileId`, most shared keys first. An index
   * look-up per key (the primary key starts with it); keys held by more than MAX_BLOCK_SIZE
   * profiles are skipped, so one busy key cannot make a profile compare against thousands.
   */
  async candidates(
    manager: EntityManager,
    profileId: string,
    keys: readonly string[],
  ): Promise<string[]> {
    if (keys.length === 0) return [];
    const rows = await manager.query<{ profileId: string }[]>(
      `WITH usable AS (
         SELECT key FROM ${table(manager)} WHERE key = ANY($1::text[])
         GROUP BY key HAVING count(*) <= $3)
       SELECT b.profile_id AS "profileId"
       FROM ${table(manager)} b JOIN usable u ON u.key = b.key
       WHERE b.profile_id <> $2
       GROUP BY b.profile_id
       ORDER BY count(*) DESC, b.profile_id
       LIMIT $4`,
      [[...keys], profileId, MAX_BLOCK_SIZE, MAX_CANDIDATES],
    );
    return rows.map((r) => r.profileId);
  }
}

function table(manager: EntityManager): string {
  return qualifiedTable(dataSourceSchema(manager.connection), 'blocking_keys');
}
