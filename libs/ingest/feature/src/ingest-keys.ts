import { HotKeys } from '@kairos/hot-store';

/**
 * Ingest's own Redis keys, `<prefix>ingest:<entity>:<id>` like every service's (the shared
 * HotKeys builds the dedupe key; this adds what only ingest uses). The prefix comes from config.
 */
export class IngestKeys {
  constructor(private readonly hot: HotKeys) {}

  /** List: the most recent Order Completed values in one currency, newest first. */
  orderValues(currency: string): string {
    return `${this.hot.prefix}ingest:order-values:${currency}`;
  }
}
