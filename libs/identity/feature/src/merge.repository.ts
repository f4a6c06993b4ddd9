import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { MergeEntity } from './merge.entity';

/** The merge audit trail; written in the same transaction as the merge itself. */
@Injectable()
export class MergeRepository {
  async record(manager: EntityManager, merge: MergeEntity): Promise<void> {
    await manager.insert(MergeEntity, merge);
  }
}
