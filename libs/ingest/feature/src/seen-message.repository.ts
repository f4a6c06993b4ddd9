import { Inject, Injectable } from '@nestjs/common';
import { HotKeys, REDIS, type Redis } from '@kairos/hot-store';
import { INGEST_SETTINGS, type IngestSettings } from './ingest.config';

/**
 * The duplicate filter's memory: one Redis key per messageId ingest has accepted, expiring
 * after the configured TTL. Ingest owns these keys and nothing else in Redis.
 */
@Injectable()
export class SeenMessageRepository {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: HotKeys,
    @Inject(INGEST_SETTINGS) private readonly settings: IngestSettings,
  ) {}

  async wasSeen(messageId: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.dedupe(messageId))) === 1;
  }

  /** Which of these messageIds were seen: one pipelined round trip for a whole batch. */
  async seenAmong(messageIds: readonly string[]): Promise<Set<string>> {
    if (messageIds.length === 0) return new Set();
    const pipeline = this.redis.pipeline();
    for (const id of messageIds) pipeline.exists(this.keys.dedupe(id));
    const results = (await pipeline.exec()) ?? [];
    const seen = new Set<string>();
    results.forEach(([error, value], i) => {
      if (error) throw error;
      if (value === 1) seen.add(messageIds[i]);
    });
    return seen;
  }

  /** Remember many messageIds in one pipelined round trip (after their events are published). */
  async markSeenMany(messageIds: readonly string[]): Promise<void> {
    if (messageIds.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const id of messageIds)
      pipeline.set(this.keys.dedupe(id), '1', 'EX', this.settings.dedupeTtlSeconds);
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed?.[0]) throw failed[0];
  }

  /** Remember a messageId; call only after the accepted event is safely published. */
  async markSeen(messageId: string): Promise<void> {
    await this.redis.set(this.keys.dedupe(messageId), '1', 'EX', this.settings.dedupeTtlSeconds);
  }
}
