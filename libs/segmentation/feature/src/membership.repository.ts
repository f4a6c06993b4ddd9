import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { MembershipEntity } from './membership.entity';

/** Reads and writes `memberships`, always in the caller's transaction. */
@Injectable()
export class MembershipRepository {
  /** The segment ids the profile is in, sorted. */
  async segmentIds(manager: EntityManager, profileId: string): Promise<string[]> {
    const rows = await manager
      .getRepository(MembershipEntity)
      .find({ where: { profileId }, order: { segmentId: 'ASC' } });
    return rows.map((row) => row.segmentId);
  }

  async enter(
    manager: EntityManager,
    profileId: string,
    segmentIds: readonly string[],
    at: Date,
  ): Promise<void> {
    if (segmentIds.length === 0) return;
    await manager
      .createQueryBuilder()
      .insert()
      .into(MembershipEntity)
      .values(segmentIds.map((segmentId) => ({ profileId, segmentId, enteredAt: at })))
      .orIgnore()
      .execute();
  }

  async exit(
    manager: EntityManager,
    profileId: string,
    segmentIds: readonly string[],
  ): Promise<void> {
    if (segmentIds.length === 0) return;
    await manager
      .getRepository(MembershipEntity)
      .delete({ profileId, segmentId: In([...segmentIds]) });
  }
}
