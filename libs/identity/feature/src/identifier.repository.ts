import { Injectable } from '@nestjs/common';
import { dataSourceSchema, qualifiedTable } from '@kairos/persistence';
import type { EntityManager } from 'typeorm';
import { IdentifierEntity } from './identifier.entity';
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
   * Every identifier of these profiles, locked FOR UPDATE in (type, value) order — the
   * resolver's order — before a whole-profile merge locks the profiles themselves.
   */
  async lockForProfiles(
    manager: EntityManager,
    profileIds: readonly string[],
  ): Promise<IdentifierRow[]> {
    if (profileIds.length === 0) return [];
    return manager.query<IdentifierRow[]>(
      `SELECT i.type, i.value, i.profile_id AS "profileId" FROM ${table(manager)} i
       WHERE i.profile_id = ANY($1::uuid[])
       ORDER BY i.type, i.value
       FOR UPDATE OF i`,
      [[...profileIds]],
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

  /**
   * How many identifiers of each type each profile holds (for the merge policy's limits). Run
   * after the profiles are locked, so the counts cannot change before the transaction ends.
   */
  async countsByProfile(
    manager: EntityManager,
    profileIds: readonly string[],
  ): Promise<Map<string, Record<string, number>>> {
    const counts = new Map<string, Record<string, number>>(profileIds.map((id) => [id, {}]));
    if (profileIds.length === 0) return counts;
    const rows = await manager.query<{ profileId: string; type: string; n: number }[]>(
      `SELECT profile_id AS "profileId", type, count(*)::int AS n
       FROM ${table(manager)} WHERE profile_id = ANY($1::uuid[]) GROUP BY profile_id, type`,
      [[...profileIds]],
    );
    for (const row of rows) counts.get(row.profileId)![row.type] = row.n;
    return counts;
  }

  /**
   * Move the given identifiers from one profile to another (an unmerge); keys that no longer
   * belong to `fromProfileId` are left alone. Returns the keys moved, in (type, value) order.
   */
  async move(
    manager: EntityManager,
    keys: readonly IdentifierKey[],
    fromProfileId: string,
    toProfileId: string,
  ): Promise<IdentifierKey[]> {
    if (keys.length === 0) return [];
    const [rows] = await manager.query<[IdentifierKey[], number]>(
      `UPDATE ${table(manager)} i SET profile_id = $4
       FROM unnest($1::text[], $2::text[]) AS k(type, value)
       WHERE i.type = k.type AND i.value = k.value AND i.profile_id = $3
       RETURNING i.type, i.value`,
      [keys.map((k) => k.type), keys.map((k) => k.value), fromProfileId, toProfileId],
    );
    return [...rows].sort((a, b) =>
      a.type === b.type ? (a.value < b.value ? -1 : 1) : a.type < b.type ? -1 : 1,
    );
  }

  /** The profile an identifier belongs to, if any (admin look-up; no lock). */
  async ownerOf(manager: EntityManager, key: IdentifierKey): Promise<string | undefined> {
    const rows = await manager.query<{ profileId: string }[]>(
      `SELECT profile_id AS "profileId" FROM ${table(manager)} WHERE type = $1 AND value = $2`,
      [key.type, key.value],
    );
    return rows[0]?.profileId;
  }

  /** A profile's identifiers with when each was first seen (admin view). */
  async entriesForProfile(manager: EntityManager, profileId: string): Promise<IdentifierEntity[]> {
    return manager
      .getRepository(IdentifierEntity)
      .find({ where: { profileId }, order: { type: 'ASC', value: 'ASC' } });
  }

  /** The identifiers of many profiles at once, by profile (for rebuilds and batch jobs). */
  async listForProfiles(
    manager: EntityManager,
    profileIds: readonly string[],
  ): Promise<Map<string, IdentifierKey[]>> {
    const byProfile = new Map<string, IdentifierKey[]>(profileIds.map((id) => [id, []]));
    if (profileIds.length === 0) return byProfile;
    const rows = await manager.query<IdentifierRow[]>(
      `SELECT type, value, profile_id AS "profileId" FROM ${table(manager)}
       WHERE profile_id = ANY($1::uuid[]) ORDER BY type, value`,
      [[...profileIds]],
    );
    for (const row of rows)
      byProfile.get(row.profileId)?.push({ type: row.type, value: row.value });
    return byProfile;
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
