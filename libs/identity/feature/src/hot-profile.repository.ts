import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  ProfileChanged,
  ProfilesMerged,
  Topics,
  mergeAnnouncementKind,
  parseContract,
} from '@kairos/contracts';
import { HotKeys, REDIS, type Redis } from '@kairos/hot-store';
import type { OutboxRow } from '@kairos/persistence';
import { toHotProfileHash } from './profile-snapshot';

/**
 * Replace the profile hash only if the incoming version is newer than the one held, in one
 * atomic step, so a stale write (a relay re-publish after a crash, two replicas' relays
 * finishing out of order) never wins. The hash is replaced whole (DEL + HSET) so a field
 * cleared in the new version does not linger. Returns 1 if written, 0 if stale.
 */
const WRITE_IF_NEWER = `
local held = redis.call('HGET', KEYS[1], 'version')
if held and tonumber(held) >= tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
return 1`;

/**
 * Identity's hot copy of each profile in Redis, which the renderer reads at send time. A cache
 * only: Postgres (profiles, profile_versions) and the compacted profiles topic can rebuild it.
 */
@Injectable()
export class HotProfileRepository {
  private readonly log = new Logger(HotProfileRepository.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: HotKeys,
  ) {}

  /** Write one profile version; false when Redis already holds this version or a newer one. */
  async write(snapshot: ProfileChanged): Promise<boolean> {
    const hash = toHotProfileHash(snapshot);
    const args = Object.entries(hash).flat();
    const written = await this.redis.eval(
      WRITE_IF_NEWER,
      1,
      this.keys.profile(snapshot.profileId),
      String(snapshot.version),
      ...args,
    );
    return written === 1;
  }

  /** A merged-away profile no longer exists; its id must not resolve at send time. */
  async remove(profileId: string): Promise<void> {
    await this.redis.del(this.keys.profile(profileId));
  }

  /**
   * The relay's onPublished hook: mirror what just reached Kafka, in publish order (a profile's
   * last version before a merge is written, then removed by the merge). All of a cycle's
   * writes go to Redis as ONE pipeline — Redis runs them in that order, so the outcome is the
   * same as one by one, for one round trip instead of one per row.
   */
  async applyPublished(rows: readonly OutboxRow[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    let queued = 0;
    for (const row of rows) {
      if (row.topic === Topics.ProfileChanges) {
        const parsed = parseContract(ProfileChanged, row.payload);
        if (!parsed.ok) {
          this.log.error(`outbox row ${row.id} is not a ProfileChanged: ${parsed.summary}`);
          continue;
        }
        const hash = toHotProfileHash(parsed.value);
        pipeline.eval(
          WRITE_IF_NEWER,
          1,
          this.keys.profile(parsed.value.profileId),
          String(parsed.value.version),
          ...Object.entries(hash).flat(),
        );
        queued++;
      } else if (row.topic === Topics.IdentityMerges) {
        const parsed = parseContract(ProfilesMerged, row.payload);
        // An unmerge brings the profile back: its ProfileChanged (next in the outbox) writes it.
        if (parsed.ok && mergeAnnouncementKind(parsed.value) === 'merge') {
          pipeline.del(this.keys.profile(parsed.value.mergedProfileId));
          queued++;
        }
      }
    }
    if (queued === 0) return;
    const results = (await pipeline.exec()) ?? [];
    const failed = results.filter(([error]) => error);
    if (failed.length > 0) {
      throw new Error(`${failed.length} hot-profile write(s) failed: ${String(failed[0][0])}`);
    }
  }
}
