import { Injectable } from '@nestjs/common';
import type { ConsentState, ProfileChanged } from '@kairos/contracts';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ProfileVersionEntity } from './profile-version.entity';
import { ProfileEntity } from './profile.entity';
import type { Profile } from './profile-snapshot';

/** Profiles and their version history; every method runs in the caller's transaction. */
@Injectable()
export class ProfileRepository {
  /**
   * The profiles with these ids, locked FOR UPDATE in id order (one order everywhere, so two
   * resolvers touching the same profiles cannot deadlock). Ids that no longer exist (merged
   * away by a transaction that committed meanwhile) are simply missing from the result.
   */
  async lock(manager: EntityManager, ids: readonly string[]): Promise<Profile[]> {
    if (ids.length === 0) return [];
    const rows = await manager
      .getRepository(ProfileEntity)
      .createQueryBuilder('p')
      .where('p.id IN (:...ids)', { ids: [...ids] })
      .orderBy('p.id')
      .setLock('pessimistic_write')
      .getMany();
    return rows.map(toProfile);
  }

  async insert(manager: EntityManager, profile: Profile): Promise<void> {
    await manager.insert(ProfileEntity, columns(toEntity(profile)));
  }

  async update(manager: EntityManager, profile: Profile): Promise<void> {
    const { id, ...rest } = toEntity(profile);
    await manager.update(ProfileEntity, { id }, columns(rest));
  }

  async delete(manager: EntityManager, id: string): Promise<void> {
    await manager.delete(ProfileEntity, { id });
  }

  /**
   * Keep the published snapshot of a version, with the event times of its values (so the
   * version can be restored exactly by an unmerge); (profile_id, version) is unique.
   */
  async addVersion(
    manager: EntityManager,
    snapshot: ProfileChanged,
    fieldTimes: Record<string, string>,
    causeEventId: string,
    at: Date,
  ): Promise<void> {
    const row: ProfileVersionEntity = {
      profileId: snapshot.profileId,
      version: snapshot.version,
      snapshot,
      fieldTimes,
      causeEventId,
      createdAt: at,
    };
    await manager.insert(ProfileVersionEntity, columns(row));
  }

  /** One profile without locking it (reads for the admin API). */
  async find(manager: EntityManager, id: string): Promise<Profile | undefined> {
    const row = await manager.getRepository(ProfileEntity).findOne({ where: { id } });
    return row ? toProfile(row) : undefined;
  }

  /** Several profiles without locking them (candidates to score); missing ids are left out. */
  async findMany(manager: EntityManager, ids: readonly string[]): Promise<Profile[]> {
    if (ids.length === 0) return [];
    const rows = await manager
      .getRepository(ProfileEntity)
      .createQueryBuilder('p')
      .where('p.id IN (:...ids)', { ids: [...ids] })
      .orderBy('p.id')
      .getMany();
    return rows.map(toProfile);
  }

  /** One version of a profile, or its latest with `version` omitted. */
  async version(
    manager: EntityManager,
    profileId: string,
    version?: number,
  ): Promise<ProfileVersionEntity | null> {
    return manager.getRepository(ProfileVersionEntity).findOne({
      where: version === undefined ? { profileId } : { profileId, version },
      order: { version: 'DESC' },
    });
  }

  /** The latest `limit` versions of a profile, newest first. */
  async versions(
    manager: EntityManager,
    profileId: string,
    limit: number,
  ): Promise<ProfileVersionEntity[]> {
    return manager
      .getRepository(ProfileVersionEntity)
      .find({ where: { profileId }, order: { version: 'DESC' }, take: limit });
  }

  /** Which of these ids are profiles (exist now). */
  async existing(manager: EntityManager, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await manager
      .getRepository(ProfileEntity)
      .createQueryBuilder('p')
      .select('p.id', 'id')
      .where('p.id IN (:...ids)', { ids: [...ids] })
      .getRawMany<{ id: string }>();
    return new Set(rows.map((r) => r.id));
  }

  /** Profiles in id order after `afterId` (keyset paging for rebuilds and batch jobs). */
  async page(manager: EntityManager, afterId: string | null, limit: number): Promise<Profile[]> {
    const qb = manager
      .getRepository(ProfileEntity)
      .createQueryBuilder('p')
      .orderBy('p.id')
      .take(limit);
    if (afterId !== null) qb.where('p.id > :afterId', { afterId });
    return (await qb.getMany()).map(toProfile);
  }
}

function toProfile(row: ProfileEntity): Profile {
  return {
    id: row.id,
    version: row.version,
    state: {
      fields: {
        email: row.email,
        phone: row.phone,
        firstName: row.firstName,
        lastName: row.lastName,
        birthday: row.birthday,
        timezone: row.timezone,
        // The column's CHECK constraint admits exactly the ConsentState values.
        emailConsent: row.emailConsent as ConsentState,
      },
      traits: row.traits,
      fieldTimes: row.fieldTimes,
    },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toEntity(profile: Profile): ProfileEntity {
  const { fields, traits, fieldTimes } = profile.state;
  return {
    id: profile.id,
    version: profile.version,
    email: fields.email,
    phone: fields.phone,
    firstName: fields.firstName,
    lastName: fields.lastName,
    birthday: fields.birthday,
    timezone: fields.timezone,
    emailConsent: fields.emailConsent,
    traits,
    fieldTimes,
    createdAt: profile.createdAt,
    updatedAt: profile.updatedAt,
  };
}

/**
 * TypeORM's deep-partial type cannot see that a jsonb column typed as a JSON object is one
 * value, not a nested entity; the values here are exactly the entity's columns.
 */
function columns<T>(values: Partial<T>): QueryDeepPartialEntity<T> {
  return values as QueryDeepPartialEntity<T>;
}
