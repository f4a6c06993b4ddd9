import { Injectable } from '@nestjs/common';
import { dataSourceSchema, qualifiedTable } from '@kairos/persistence';
import type { EntityManager } from 'typeorm';
import { HOURS } from './domain/send-time';
import { ProfileActivityEntity } from './profile-activity.entity';

/** Per-person activity (see the entity). */
@Injectable()
export class ProfileActivityRepository {
  /**
   * Lock the activity rows of some profiles (creating empty ones), in profile-id order. Every
   * writer that also touches timers locks activity first, so lock order is always
   * activity → timers and two transactions cannot deadlock on them.
   */
  async lockMany(
    manager: EntityManager,
    profileIds: string[],
    now: Date,
  ): Promise<Map<string, ProfileActivityEntity>> {
    const ids = [...new Set(profileIds)].sort();
    if (ids.length === 0) return new Map();
    const table = qualifiedTable(dataSourceSchema(manager.connection), 'profile_activity');
    await manager.query(
      `INSERT INTO ${table} (profile_id, updated_at) SELECT unnest($1::uuid[]), $2 ON CONFLICT DO NOTHING`,
      [ids, now],
    );
    const rows = await manager
      .getRepository(ProfileActivityEntity)
      .createQueryBuilder('a')
      .where('a.profileId IN (:...ids)', { ids })
      .orderBy('a.profileId')
      .setLock('pessimistic_write')
      .getMany();
    return new Map(rows.map((r) => [r.profileId, r]));
  }

  async lock(manager: EntityManager, profileId: string, now: Date): Promise<ProfileActivityEntity> {
    const row = (await this.lockMany(manager, [profileId], now)).get(profileId);
    if (!row) throw new Error('activity row vanished under its lock');
    return row;
  }

  async save(manager: EntityManager, row: ProfileActivityEntity): Promise<void> {
    await manager.getRepository(ProfileActivityEntity).save(row);
  }

  async delete(manager: EntityManager, profileId: string): Promise<void> {
    await manager.getRepository(ProfileActivityEntity).delete({ profileId });
  }

  /** Opens per local hour over everyone: the population prior of send-time optimization. */
  async populationOpenHours(manager: EntityManager): Promise<number[]> {
    const table = qualifiedTable(dataSourceSchema(manager.connection), 'profile_activity');
    const rows = await manager.query<{ hour: number; opens: string }[]>(
      `SELECT u.i - 1 AS hour, sum(u.c)::text AS opens
       FROM ${table} a, unnest(a.open_hours) WITH ORDINALITY AS u(c, i)
       WHERE a.last_open_at IS NOT NULL
       GROUP BY u.i`,
    );
    const out = new Array<number>(HOURS).fill(0);
    for (const r of rows) if (r.hour >= 0 && r.hour < HOURS) out[r.hour] = Number(r.opens);
    return out;
  }
}
