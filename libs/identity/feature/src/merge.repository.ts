import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { MergeRefusalEntity } from './merge-refusal.entity';
import { MergeEntity } from './merge.entity';

/** The merge audit trail (merges and refusals); written in the same transaction as the change. */
@Injectable()
export class MergeRepository {
  async record(manager: EntityManager, merge: MergeEntity): Promise<void> {
    await manager.insert(MergeEntity, merge);
  }

  async recordRefusal(manager: EntityManager, refusal: MergeRefusalEntity): Promise<void> {
    await manager.insert(MergeRefusalEntity, refusal);
  }

  /** One merge, locked FOR UPDATE (an unmerge holds it, so two operators cannot both revert). */
  async lock(manager: EntityManager, mergeId: string): Promise<MergeEntity | null> {
    return manager
      .getRepository(MergeEntity)
      .createQueryBuilder('m')
      .where('m.id = :mergeId', { mergeId })
      .setLock('pessimistic_write')
      .getOne();
  }

  /** The applied merge that folded `profileId` away, if any (it is then no longer a profile). */
  async appliedMergeOf(manager: EntityManager, profileId: string): Promise<MergeEntity | null> {
    return manager
      .getRepository(MergeEntity)
      .findOne({ where: { mergedProfileId: profileId, status: 'applied' } });
  }

  async markReverted(
    manager: EntityManager,
    mergeId: string,
    at: Date,
    reason: string | null,
  ): Promise<void> {
    await manager.update(
      MergeEntity,
      { id: mergeId },
      { status: 'reverted', revertedAt: at, revertReason: reason },
    );
  }

  /** Merges a profile took part in (either side), newest first. */
  async listForProfile(manager: EntityManager, profileId: string): Promise<MergeEntity[]> {
    return manager.getRepository(MergeEntity).find({
      where: [{ survivorProfileId: profileId }, { mergedProfileId: profileId }],
      order: { mergedAt: 'DESC' },
    });
  }

  /** Refused links involving a profile (either side), newest first. */
  async refusalsForProfile(
    manager: EntityManager,
    profileId: string,
  ): Promise<MergeRefusalEntity[]> {
    return manager.getRepository(MergeRefusalEntity).find({
      where: [{ profileId }, { otherProfileId: profileId }],
      order: { refusedAt: 'DESC' },
      take: 50,
    });
  }
}
