import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { qualifiedTable } from '@kairos/persistence';
import { MembershipEventEntity } from './membership-event.entity';
import { MembershipEntity } from './membership.entity';

export interface MembershipChangeRow {
  profileId: string;
  segmentId: string;
  change: 'entered' | 'exited';
  at: Date;
  recordedAt: Date;
  causeId: string;
}

export interface DailyChurn {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  entered: number;
  exited: number;
}

/** Reads and writes `memberships` and `membership_events`, always in the caller's transaction. */
@Injectable()
export class MembershipRepository {
  /** The segment ids the profile is in, sorted. */
  async segmentIds(manager: EntityManager, profileId: string): Promise<string[]> {
    const rows = await manager
      .getRepository(MembershipEntity)
      .find({ where: { profileId }, order: { segmentId: 'ASC' } });
    return rows.map((row) => row.segmentId);
  }

  /** Segment ids per profile, for a batch (profiles without any are absent). */
  async segmentIdsOf(
    manager: EntityManager,
    profileIds: readonly string[],
  ): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (profileIds.length === 0) return out;
    const rows = await manager
      .getRepository(MembershipEntity)
      .find({ where: { profileId: In([...profileIds]) }, order: { segmentId: 'ASC' } });
    for (const row of rows) {
      const list = out.get(row.profileId) ?? [];
      list.push(row.segmentId);
      out.set(row.profileId, list);
    }
    return out;
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

  /** Append to the history (same transaction as the membership rows and the outbox). */
  async record(manager: EntityManager, changes: readonly MembershipChangeRow[]): Promise<void> {
    if (changes.length === 0) return;
    await manager.getRepository(MembershipEventEntity).insert([...changes]);
  }

  /** Up to `limit` members of a segment, by profile id. */
  async members(manager: EntityManager, segmentId: string, limit: number): Promise<string[]> {
    const rows = await manager
      .getRepository(MembershipEntity)
      .find({ where: { segmentId }, order: { profileId: 'ASC' }, take: limit });
    return rows.map((row) => row.profileId);
  }

  async size(manager: EntityManager, segmentId: string): Promise<number> {
    return manager.getRepository(MembershipEntity).count({ where: { segmentId } });
  }

  /** Entered/exited per UTC day (by recorded time) from `from` (inclusive) on, oldest first. */
  async dailyChurn(
    manager: EntityManager,
    schema: string,
    segmentId: string,
    from: Date,
  ): Promise<DailyChurn[]> {
    const rows: Array<{ day: string; entered: string; exited: string }> = await manager.query(
      `SELECT to_char(date_trunc('day', recorded_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
              count(*) FILTER (WHERE change = 'entered') AS entered,
              count(*) FILTER (WHERE change = 'exited') AS exited
         FROM ${qualifiedTable(schema, 'membership_events')}
        WHERE segment_id = $1 AND recorded_at >= $2
        GROUP BY 1 ORDER BY 1`,
      [segmentId, from],
    );
    return rows.map((r) => ({ day: r.day, entered: Number(r.entered), exited: Number(r.exited) }));
  }
}
