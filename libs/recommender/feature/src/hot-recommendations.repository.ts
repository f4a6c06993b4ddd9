import { Inject, Injectable, Logger } from '@nestjs/common';
import { HotKeys, REDIS, type Redis } from '@kairos/hot-store';
import type { Recommendation } from './recommend';

/**
 * The top-N per profile in Redis (`HotKeys.recommendations`): a JSON array of
 * {productId, name, price, score, reason}, best first, read by the renderer at send time and by
 * the HTTP endpoint. A cache, always rewritten from Postgres.
 */
@Injectable()
export class HotRecommendationsRepository {
  private readonly log = new Logger(HotRecommendationsRepository.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: HotKeys,
  ) {}

  /** An empty list removes the key, so readers see "none" rather than stale items. */
  async write(profileId: string, recommendations: readonly Recommendation[]): Promise<void> {
    const key = this.keys.recommendations(profileId);
    if (recommendations.length === 0) await this.redis.del(key);
    else await this.redis.set(key, JSON.stringify(recommendations));
  }

  /** Many profiles' lists in one round trip (the training's precompute). */
  async writeMany(
    lists: readonly { profileId: string; recommendations: readonly Recommendation[] }[],
  ): Promise<void> {
    if (lists.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const { profileId, recommendations } of lists) {
      const key = this.keys.recommendations(profileId);
      if (recommendations.length === 0) pipeline.del(key);
      else pipeline.set(key, JSON.stringify(recommendations));
    }
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed?.[0]) throw failed[0];
  }

  /** A profile that no longer exists (merged away) has no list. */
  async delete(profileId: string): Promise<void> {
    await this.redis.del(this.keys.recommendations(profileId));
  }

  /** The stored list, or undefined when there is none (or it cannot be read). */
  async read(profileId: string): Promise<Recommendation[] | undefined> {
    const raw = await this.redis.get(this.keys.recommendations(profileId));
    if (raw === null) return undefined;
    try {
      const parsed: unknown = JSON.parse(raw);
      return Array.isArray(parsed) && parsed.length > 0 ? (parsed as Recommendation[]) : undefined;
    } catch {
      this.log.warn(`unreadable recommendations for profile ${profileId}; treating as none`);
      return undefined;
    }
  }
}
