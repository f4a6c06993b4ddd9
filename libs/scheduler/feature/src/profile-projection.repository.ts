import { Injectable } from '@nestjs/common';
import { dataSourceSchema, qualifiedTable } from '@kairos/persistence';
import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { ProfileProjectionEntity } from './profile-projection.entity';

/** The scheduler's profile projection. */
@Injectable()
export class ProfileProjectionRepository {
  /**
   * Apply a profile version if it is newer than the one held; returns whether it was applied.
   * Versions only move forward, so redelivered or reordered changes are harmless.
   */
  async upsertIfNewer(manager: EntityManager, profile: ProfileProjectionEntity): Promise<boolean> {
    const table = qualifiedTable(dataSourceSchema(manager.connection), 'profiles');
    const rows = await manager.query<unknown[]>(
      `INSERT INTO ${table} AS p (profile_id, version, email_present, email_consent, timezone, birthday, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (profile_id) DO UPDATE SET
         version = EXCLUDED.version,
         email_present = EXCLUDED.email_present,
         email_consent = EXCLUDED.email_consent,
         timezone = EXCLUDED.timezone,
         birthday = EXCLUDED.birthday,
         updated_at = EXCLUDED.updated_at
       WHERE p.version < EXCLUDED.version
       RETURNING 1`,
      [
        profile.profileId,
        profile.version,
        profile.emailPresent,
        profile.emailConsent,
        profile.timezone,
        profile.birthday,
        profile.updatedAt,
      ],
    );
    return rows.length === 1;
  }

  async delete(manager: EntityManager, profileId: string): Promise<void> {
    await manager.getRepository(ProfileProjectionEntity).delete({ profileId });
  }

  async findMany(
    manager: EntityManager,
    profileIds: string[],
  ): Promise<Map<string, ProfileProjectionEntity>> {
    if (profileIds.length === 0) return new Map();
    const rows = await manager
      .getRepository(ProfileProjectionEntity)
      .findBy({ profileId: In(profileIds) });
    return new Map(rows.map((row) => [row.profileId, row]));
  }
}
