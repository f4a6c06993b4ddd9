import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { MergedProfileEntity } from './merged-profile.entity';

/** Tombstones of merged-away profiles (see merged-profile.entity.ts). */
@Injectable()
export class MergedProfileRepository {
  /** The profile's current survivor, if it was merged away. */
  async survivorOf(manager: EntityManager, profileId: string): Promise<string | undefined> {
    const row = await manager.getRepository(MergedProfileEntity).findOneBy({ profileId });
    return row?.survivorId;
  }

  /**
   * Record that `mergedId` now lives on in `survivorId`, and re-point the profiles merged into
   * `mergedId` earlier, so a look-up is always one step.
   */
  async record(
    manager: EntityManager,
    mergedId: string,
    survivorId: string,
    mergeId: string,
    mergedAt: Date,
  ): Promise<void> {
    const repo = manager.getRepository(MergedProfileEntity);
    await repo.update({ survivorId: mergedId }, { survivorId });
    await repo.upsert({ profileId: mergedId, survivorId, mergeId, mergedAt }, ['profileId']);
  }
}
