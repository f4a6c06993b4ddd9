import { Inject, Injectable } from '@nestjs/common';
import { HotKeys, REDIS, type Redis } from '@kairos/hot-store';
import { parseRecipient, parseRecommendations, type HotSendData } from './hot-profile';

/**
 * Reads everything personalization needs from Redis in ONE round trip (a pipeline): the hot
 * profile, computed traits, segments and recommendations. Throws if Redis fails; the caller
 * decides (the renderer retries: nothing has been sent yet).
 */
@Injectable()
export class HotDataReader {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(HotKeys) private readonly keys: HotKeys,
  ) {}

  async read(profileId: string): Promise<HotSendData> {
    const replies = await this.redis
      .pipeline()
      .hgetall(this.keys.profile(profileId))
      .hgetall(this.keys.traits(profileId))
      .smembers(this.keys.segments(profileId))
      .get(this.keys.recommendations(profileId))
      .exec();
    if (!replies) throw new Error('the Redis pipeline was discarded');
    const values = replies.map(([error, value]) => {
      if (error) throw error;
      return value;
    });
    const [profile, traits, segments, recommendations] = values as [
      Record<string, string>,
      Record<string, string>,
      string[],
      string | null,
    ];
    return {
      recipient: parseRecipient(profile),
      computedTraits: traits ?? {},
      segments: segments ?? [],
      recommendations: parseRecommendations(recommendations),
    };
  }
}
