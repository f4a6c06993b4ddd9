import type { HotKeys, Redis } from '@kairos/hot-store';
import type { DataSource } from 'typeorm';
import { HotProfileRepository } from './hot-profile.repository';
import { IdentifierRepository } from './identifier.repository';
import { ProfileRepository } from './profile.repository';
import { toProfileChanged } from './profile-snapshot';

export interface RebuildHotStoreOptions {
  /** Profiles read from Postgres (and written to Redis) per round trip. Default 500. */
  batchSize?: number;
  /** Also delete hot profiles whose profile no longer exists (merged away). Default true. */
  removeOrphans?: boolean;
  /** Called after each batch, e.g. to print progress. */
  onBatch?: (counts: RebuildHotStoreCounts) => void;
}

export interface RebuildHotStoreCounts {
  /** Profiles read from Postgres. */
  profiles: number;
  /** Hot profiles written (missing or older in Redis). */
  written: number;
  /** Hot profiles Redis already held at this version or a newer one (left alone). */
  upToDate: number;
  /** Hot profiles deleted because their profile no longer exists. */
  orphansRemoved: number;
}

/**
 * Repopulate identity's Redis hot profiles from Postgres, the system of record: every profile,
 * in id order, in batches, each written only if Redis does not already hold that version or a
 * newer one (the same guard the relay uses), so running it while the service runs is safe — a
 * newer version the relay writes meanwhile is never overwritten with an older one. Then, unless
 * told otherwise, hot profiles of profiles that no longer exist are removed.
 */
export async function rebuildHotStore(
  dataSource: DataSource,
  redis: Redis,
  keys: HotKeys,
  options: RebuildHotStoreOptions = {},
): Promise<RebuildHotStoreCounts> {
  const batchSize = options.batchSize ?? 500;
  const hot = new HotProfileRepository(redis, keys);
  const profiles = new ProfileRepository();
  const identifiers = new IdentifierRepository();
  const manager = dataSource.manager;
  const counts: RebuildHotStoreCounts = { profiles: 0, written: 0, upToDate: 0, orphansRemoved: 0 };

  for (let after: string | null = null; ;) {
    const page = await profiles.page(manager, after, batchSize);
    if (page.length === 0) break;
    const ids = page.map((p) => p.id);
    const keysByProfile = await identifiers.listForProfiles(manager, ids);
    const results = await Promise.all(
      page.map((profile) =>
        hot.write(toProfileChanged(profile, keysByProfile.get(profile.id) ?? [])),
      ),
    );
    counts.profiles += page.length;
    counts.written += results.filter(Boolean).length;
    counts.upToDate += results.filter((w) => !w).length;
    options.onBatch?.({ ...counts });
    after = ids[ids.length - 1];
    if (page.length < batchSize) break;
  }

  if (options.removeOrphans ?? true) {
    const prefix = keys.profile('');
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', batchSize);
      cursor = next;
      const ids = found.map((key) => key.slice(prefix.length));
      const alive = await profiles.existing(manager, ids.filter(isUuid));
      const orphans = found.filter((_, i) => !alive.has(ids[i]));
      if (orphans.length > 0) counts.orphansRemoved += await redis.del(...orphans);
    } while (cursor !== '0');
  }
  return counts;
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
