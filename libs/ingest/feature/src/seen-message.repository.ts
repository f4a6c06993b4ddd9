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

  /** Remember a messageId; call only after the accepted event is safely published. */
  async markSeen(messageId: string): Promise<void> {
    await this.redis.set(this.keys.dedupe(messageId), '1', 'EX', this.settings.dedupeTtlSeconds);
  }
}
