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
 * The hot copy of a profile's traits and segments in Redis, read at send time. A cache: the
 * rows in Postgres are the truth and this is always rewritten from them.
 */
@Injectable()
export class HotTraitsRepository {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: HotKeys,
  ) {}

  /** Returns whether the write happened (false: Redis already holds this version or newer). */
  async write(stored: StoredTraits, segmentIds: readonly string[]): Promise<boolean> {
    const hash = toTraitsHash(stored.traits, stored.updatedAt);
    const fieldArgs = Object.entries(hash).flat();
    const written = await this.redis.eval(
      WRITE_IF_NEWER,
      2,
      this.keys.traits(stored.traits.profileId),
      this.keys.segments(stored.traits.profileId),
      String(stored.version),
      String(fieldArgs.length),
      ...fieldArgs,
      ...segmentIds,
    );
    return written === 1;
  }

  /** Forget a profile (e.g. merged away). */
  async remove(profileId: string): Promise<void> {
    await this.redis.del(this.keys.traits(profileId), this.keys.segments(profileId));
  }
}
