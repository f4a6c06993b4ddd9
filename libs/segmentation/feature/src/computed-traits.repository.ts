import { Injectable } from '@nestjs/common';
import { emptyTraits, type ComputedTraits } from '@kairos/segmentation/domain';
import { In, LessThan, MoreThan, IsNull, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ComputedTraitsEntity } from './computed-traits.entity';
import { traitsFromJson, type StoredProfile } from './profile-input';

/** A computed_traits row as the use cases see it. */
export interface StoredTraits {
  profileId: string;
  traits: ComputedTraits;
  profile: StoredProfile | null;
  profileVersion: number;
  evaluatedAt: Date | null;
  primarySegment: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What a write changes (the version is bumped by `save`). */
export interface TraitsWrite {
  traits: ComputedTraits;
  profile: StoredProfile | null;
  profileVersion: number;
  evaluatedAt: Date;
  primarySegment: string | null;
  updatedAt: Date;
}

/**
 * Reads and writes `computed_traits`. Every method takes the caller's EntityManager, so the
 * writes share the transaction with the membership rows, the outbox rows and the event claim.
 */
@Injectable()
export class ComputedTraitsRepository {
  /**
   * The profile's row, locked until the transaction ends (created empty if new). Insert first,
   * then lock: two transactions seeing a new profile at once would otherwise both start from
   * empty traits and the second write would lose the first.
   */
  async lockOrCreate(manager: EntityManager, profileId: string, now: Date): Promise<StoredTraits> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(ComputedTraitsEntity)
      .values({
        profileId,
        traits: emptyTraits(profileId) as unknown as Record<string, unknown>,
        profile: null,
        profileVersion: 0,
        evaluatedAt: null,
        primarySegment: null,
        version: 0,
        createdAt: now,
        updatedAt: now,
      } as QueryDeepPartialEntity<ComputedTraitsEntity>)
      .orIgnore()
      .execute();
    const stored = await this.lock(manager, profileId);
    if (!stored)
      throw new Error(`computed_traits row for ${profileId} vanished inside its transaction`);
    return stored;
  }

  /** The profile's row, locked until the transaction ends; undefined if it has none. */
  async lock(manager: EntityManager, profileId: string): Promise<StoredTraits | undefined> {
    const row = await manager
      .getRepository(ComputedTraitsEntity)
      .findOne({ where: { profileId }, lock: { mode: 'pessimistic_write' } });
    return row ? toStored(row) : undefined;
  }

  async findMany(manager: EntityManager, profileIds: readonly string[]): Promise<StoredTraits[]> {
    if (profileIds.length === 0) return [];
    const rows = await manager
      .getRepository(ComputedTraitsEntity)
      .find({ where: { profileId: In([...profileIds]) } });
    return rows.map(toStored);
  }

  /**
   * Up to `limit` rows after `afterId` in profile-id order (keyset paging for whole-population
   * jobs), locked when `lock` is set. Locking in id order keeps two batch jobs from deadlocking.
   */
  async page(
    manager: EntityManager,
    afterId: string | null,
    limit: number,
    options: { lock?: boolean; createdUpTo?: Date } = {},
  ): Promise<StoredTraits[]> {
    const where = {
      ...(afterId === null ? {} : { profileId: MoreThan(afterId) }),
      ...(options.createdUpTo
        ? { createdAt: LessThan(new Date(options.createdUpTo.getTime() + 1)) }
        : {}),
    };
    const rows = await manager.getRepository(ComputedTraitsEntity).find({
      where,
      order: { profileId: 'ASC' },
      take: limit,
      ...(options.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    return rows.map(toStored);
  }

  /**
   * Rows last evaluated before `before` (or never), locked, skipping rows another transaction
   * holds (an event being applied re-evaluates that profile anyway; the next sweep gets it).
   */
  async lockStale(manager: EntityManager, before: Date, limit: number): Promise<StoredTraits[]> {
    const rows = await manager.getRepository(ComputedTraitsEntity).find({
      where: [{ evaluatedAt: LessThan(before) }, { evaluatedAt: IsNull() }],
      order: { evaluatedAt: 'ASC', profileId: 'ASC' },
      take: limit,
      lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' },
    });
    return rows.map(toStored);
  }

  /** Write a locked row; returns the new version. */
  async save(manager: EntityManager, stored: StoredTraits, write: TraitsWrite): Promise<number> {
    const version = stored.version + 1;
    await manager.getRepository(ComputedTraitsEntity).update({ profileId: stored.profileId }, {
      traits: write.traits as unknown as Record<string, unknown>,
      profile: write.profile,
      profileVersion: write.profileVersion,
      evaluatedAt: write.evaluatedAt,
      primarySegment: write.primarySegment,
      version,
      updatedAt: write.updatedAt,
    } as QueryDeepPartialEntity<ComputedTraitsEntity>);
    return version;
  }

  async delete(manager: EntityManager, profileId: string): Promise<void> {
    await manager.getRepository(ComputedTraitsEntity).delete({ profileId });
  }

  async count(manager: EntityManager): Promise<number> {
    return manager.getRepository(ComputedTraitsEntity).count();
  }
}

function toStored(row: ComputedTraitsEntity): StoredTraits {
  return {
    profileId: row.profileId,
    traits: traitsFromJson(row.profileId, row.traits),
    profile: row.profile,
    profileVersion: row.profileVersion,
    evaluatedAt: row.evaluatedAt,
    primarySegment: row.primarySegment,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
