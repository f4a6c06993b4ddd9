import { Inject, Injectable } from '@nestjs/common';
import { HotKeys, REDIS, type Redis } from '@kairos/hot-store';
import { toTraitsHash } from './hot-traits';
import type { StoredTraits } from './computed-traits.repository';

/**
 * Replaces the traits hash and the segment set of a profile, but only if `version` is newer
 * than the one in the hash: two writers for one profile (an event and a merge, or two replicas
 * during a rebalance) may finish out of order, and the older state must not win.
 * KEYS: traits hash, segments set. ARGV: version, 2n hash field/value args, then segment ids.
 */
const WRITE_IF_NEWER = `
local current = redis.call('HGET', KEYS[1], 'version')
if current and tonumber(current) >= tonumber(ARGV[1]) then return 0 end
local fields = tonumber(ARGV[2])
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('HSET', KEYS[1], 'version', ARGV[1], unpack(ARGV, 3, 2 + fields))
if #ARGV > 2 + fields then redis.call('SADD', KEYS[2], unpack(ARGV, 3 + fields)) end
return 1`;

/**
 * The hot copy of profiles' traits and segments in Redis, read at send time. A cache: the rows
 * in Postgres are the truth and this is always rewritten from them.
 */
@Injectable()
export class HotTraitsRepository {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: HotKeys,
  ) {}

  /** Write many profiles in one round trip; each write is version-guarded on its own. */
  async write(
    entries: ReadonlyArray<{ stored: StoredTraits; segmentIds: readonly string[] }>,
  ): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const { stored, segmentIds } of entries) {
      const fieldArgs = Object.entries(toTraitsHash(stored)).flat();
      pipeline.eval(
        WRITE_IF_NEWER,
        2,
        this.keys.traits(stored.profileId),
        this.keys.segments(stored.profileId),
        String(stored.version),
        String(fieldArgs.length),
        ...fieldArgs,
        ...segmentIds,
      );
    }
    const replies = await pipeline.exec();
    for (const [error] of replies ?? []) if (error) throw error;
  }

  /** Forget profiles (e.g. merged away). */
  async remove(profileIds: readonly string[]): Promise<void> {
    if (profileIds.length === 0) return;
    await this.redis.del(
      ...profileIds.flatMap((id) => [this.keys.traits(id), this.keys.segments(id)]),
    );
  }
}
