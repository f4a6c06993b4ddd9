import { Injectable } from '@nestjs/common';
import { dataSourceSchema, qualifiedTable } from '@kairos/persistence';
import type { EntityManager } from 'typeorm';
import type { IdentifierKey } from './identifier-keys';

export interface IdentifierRow extends IdentifierKey {
  profileId: string;
}

/**
 * The identity graph's edges. Every method runs in the caller's transaction (the manager it
 * passes) and takes row locks in (type, value) order, so two resolvers never deadlock on them.
 */
@Injectable()
export class IdentifierRepository {
  /**
   * The existing rows among `keys`, locked FOR UPDATE until the transaction ends: no one can
   * move them to another profile (a merge) while this event is being resolved. In READ
   * COMMITTED, a row another transaction moved while we waited is returned as it is now.
   */
  async lock(manager: EntityManager, keys: readonly IdentifierKey[]): Promise<IdentifierRow[]> {
    if (keys.length === 0) return [];
    return manager.query<IdentifierRow[]>(
      `SELECT i.type, i.value, i.profile_id AS "profileId"
       FROM ${table(manager)} i
       JOIN unnest($1::text[], $2::text[]) AS k(type, value) ON i.type = k.type AND i.value = k.value
       ORDER BY i.type, i.value
       FOR UPDATE OF i`,
      [keys.map((k) => k.type), keys.map((k) => k.value)],
    );
  }

  /**
   * Insert new identifiers for a profile; returns the ones actually inserted. A key missing
   * from the result was created by a concurrent transaction (ON CONFLICT waits for it to
   * commit, then skips): the caller must not assume the key is its own and retries instead.
   */
  async insert(
    manager: EntityManager,
    profileId: string,
    keys: readonly IdentifierKey[],
    firstSeenAt: Date,
  ): Promise<IdentifierKey[]> {
    if (keys.length === 0) return [];
    return manager.query<IdentifierKey[]>(
      `INSERT INTO ${table(manager)} (type, value, profile_id, first_seen_at)
       SELECT k.type, k.value, $3::uuid, $4::timestamptz
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(type, value, n)
       ORDER BY k.n
       ON CONFLICT (type, value) DO NOTHING
       RETURNING type, value`,
      [keys.map((k) => k.type), keys.map((k) => k.value), profileId, firstSeenAt],
    );
  }

  /** Move every identifier of `fromProfileId` to `toProfileId`; returns the moved keys. */
  async reassign(
    manager: EntityManager,
    fromProfileId: string,
    toProfileId: string,
  ): Promise<IdentifierKey[]> {
    const [rows] = await manager.query<[IdentifierKey[], number]>(
      `UPDATE ${table(manager)} SET profile_id = $2 WHERE profile_id = $1 RETURNING type, value`,
      [fromProfileId, toProfileId],
    );
    return rows;
  }

  async listForProfile(manager: EntityManager, profileId: string): Promise<IdentifierKey[]> {
    return manager.query<IdentifierKey[]>(
      `SELECT type, value FROM ${table(manager)} WHERE profile_id = $1 ORDER BY type, value`,
      [profileId],
    );
  }
}

function table(manager: EntityManager): string {
  return qualifiedTable(dataSourceSchema(manager.connection), 'identifiers');
}
