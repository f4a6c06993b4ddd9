import { loadExtraConfig, positiveInt, v } from '@kairos/config';
import { getCountries, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';

/** Ingest's own settings, on top of the shared KairosConfig. */
export interface IngestSettings {
  /** How long a messageId is remembered for the duplicate filter. */
  dedupeTtlSeconds: number;
  /**
   * Write keys accepted by the HTTP API (HTTP Basic user name, as Segment sends it). Empty means
   * the HTTP API refuses every call: no open ingestion endpoint by default.
   */
  writeKeys: string[];
  /** Region for phone numbers written without a country code (ISO 3166-1 alpha-2). */
  defaultRegion: CountryCode;
  /** An event time further than this ahead of receivedAt is clamped to receivedAt. */
  maxFutureSkewSeconds: number;
  /** How many recent order values per currency the outlier rule looks at. */
  outlierWindowSize: number;
  /** Fewer samples than this and no order is flagged (the median/MAD would be noise). */
  outlierMinSamples: number;
}

/** Nest token for {@link IngestSettings}. */
export const INGEST_SETTINGS = Symbol('kairos.ingest.settings');

const writeKeys = z.string().transform((s) =>
  s
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean),
);

const region = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .refine((s): s is CountryCode => (getCountries() as string[]).includes(s), {
    message: 'must be an ISO 3166-1 alpha-2 region libphonenumber knows, e.g. US, GB, DE',
  });

export function loadIngestSettings(env?: Record<string, string | undefined>): IngestSettings {
  const vars = loadExtraConfig(
    {
      // A day covers upstream retry windows (Segment's own dedupe window is 24 h as well).
      KAIROS_INGEST_DEDUPE_TTL_S: v(positiveInt, '86400'),
      KAIROS_INGEST_WRITE_KEYS: v(writeKeys, ''),
      KAIROS_INGEST_DEFAULT_REGION: v(region, 'US'),
      KAIROS_INGEST_MAX_FUTURE_SKEW_S: v(positiveInt, '300'),
      KAIROS_INGEST_OUTLIER_WINDOW: v(positiveInt, '1000'),
      KAIROS_INGEST_OUTLIER_MIN_SAMPLES: v(positiveInt, '30'),
    },
    env,
  );
  return {
    dedupeTtlSeconds: vars.KAIROS_INGEST_DEDUPE_TTL_S,
    writeKeys: vars.KAIROS_INGEST_WRITE_KEYS,
    defaultRegion: vars.KAIROS_INGEST_DEFAULT_REGION,
    maxFutureSkewSeconds: vars.KAIROS_INGEST_MAX_FUTURE_SKEW_S,
    outlierWindowSize: vars.KAIROS_INGEST_OUTLIER_WINDOW,
    outlierMinSamples: vars.KAIROS_INGEST_OUTLIER_MIN_SAMPLES,
  };
}
