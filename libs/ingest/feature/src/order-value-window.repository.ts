import { Inject, Injectable } from '@nestjs/common';
import { HotKeys, REDIS, type Redis } from '@kairos/hot-store';
import { INGEST_SETTINGS, type IngestSettings } from './ingest.config';
import { IngestKeys } from './ingest-keys';

/**
 * The rolling window of recent order values per currency the outlier rule judges against: a
 * capped Redis list (newest first, at most `outlierWindowSize` values). Every replica of ingest
 * shares it, so the window covers all partitions.
 */
@Injectable()
export class OrderValueWindowRepository {
  private readonly keys: IngestKeys;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    hotKeys: HotKeys,
    @Inject(INGEST_SETTINGS) private readonly settings: IngestSettings,
  ) {
    this.keys = new IngestKeys(hotKeys);
  }

  /**
   * Add a value and return the window as it was *before* it (the value is judged against its
   * predecessors, not itself). Read, push and trim run as one MULTI, so concurrent orders each
   * see a consistent window and the list never exceeds its cap.
   */
  async addAndGetPrevious(currency: string, value: number): Promise<number[]> {
    const key = this.keys.orderValues(currency);
    const results = await this.redis
      .multi()
      .lrange(key, 0, -1)
      .lpush(key, String(value))
      .ltrim(key, 0, this.settings.outlierWindowSize - 1)
      .exec();
    const [error, previous] = results?.[0] ?? [new Error('transaction aborted'), null];
    if (error) throw error;
    return (previous as string[]).map(Number).filter(Number.isFinite);
  }
}
