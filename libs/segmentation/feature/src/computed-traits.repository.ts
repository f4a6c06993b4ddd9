import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ComputedTraitsEntity } from './computed-traits.entity';
import { emptyTraits, type ComputedTraits } from './traits-reducer';

/** Traits as stored: the domain value plus the row's write version. */
export interface StoredTraits {
  traits: ComputedTraits;
  version: number;
  updatedAt: Date;
}

/**
 * Reads and writes `computed_traits`. Every method takes the caller's EntityManager, so the
 * writes share the transaction with the membership rows, the outbox rows and the event claim.
 */
@Injectable()
export class ComputedTraitsRepository {
  /**
   * The profile's traits, row-locked until the transaction ends (created empty if new). The
   * insert-then-lock order matters: two transactions seeing a new profile at once would otherwise
   * both start from empty traits and the second write would lose the first.
   */
  async lockOrCreate(manager: EntityManager, profileId: string, now: Date): Promise<StoredTraits> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(ComputedTraitsEntity)
      .values(toRow(emptyTraits(profileId), 0, now))
      .orIgnore()
      .execute();
    const stored = await this.lock(manager, profileId);
    if (!stored)
      throw new Error(`computed_traits row for ${profileId} vanished inside its transaction`);
    return stored;
  }

  /** The profile's traits, row-locked until the transaction ends; undefined if it has none. */
  async lock(manager: EntityManager, profileId: string): Promise<StoredTraits | undefined> {
    const row = await manager
      .getRepository(ComputedTraitsEntity)
      .findOne({ where: { profileId }, lock: { mode: 'pessimistic_write' } });
    return row ? toStored(row) : undefined;
  }

  async find(manager: EntityManager, profileId: string): Promise<StoredTraits | undefined> {
    const row = await manager.getRepository(ComputedTraitsEntity).findOneBy({ profileId });
    return row ? toStored(row) : undefined;
  }

  /** Write the traits of a locked row; returns the new version. */
  async save(
    manager: EntityManager,
    stored: StoredTraits,
    traits: ComputedTraits,
    now: Date,
  ): Promise<number> {
    const version = stored.version + 1;
    const { profileId, ...columns } = toRow(traits, version, now);
    await manager.getRepository(ComputedTraitsEntity).update({ profileId }, columns);
    return version;
  }

  async delete(manager: EntityManager, profileId: string): Promise<void> {
    await manager.getRepository(ComputedTraitsEntity).delete({ profileId });
  }
}

function toRow(traits: ComputedTraits, version: number, updatedAt: Date): ComputedTraitsEntity {
  return {
    profileId: traits.profileId,
    eventCount: traits.eventCount,
    orderCount: traits.orderCount,
    totalSpent: traits.totalSpent,
    lastEventAt: traits.lastEventAt,
    lastOrderAt: traits.lastOrderAt,
    cart: traits.cart,
    lastCartActivityAt: traits.lastCartActivityAt,
    version,
    updatedAt,
  };
}

function toStored(row: ComputedTraitsEntity): StoredTraits {
  return {
    traits: {
      profileId: row.profileId,
      eventCount: row.eventCount,
      orderCount: row.orderCount,
      totalSpent: row.totalSpent,
      lastEventAt: row.lastEventAt,
      lastOrderAt: row.lastOrderAt,
      cart: row.cart,
      lastCartActivityAt: row.lastCartActivityAt,
    },
    version: row.version,
    updatedAt: row.updatedAt,
  };
}
