import { loadExtraConfig, positiveInt, v } from '@kairos/config';

/** Ingest's own settings, on top of the shared KairosConfig. */
export interface IngestSettings {
  /** How long a messageId is remembered for the duplicate filter. */
  dedupeTtlSeconds: number;
}

/** Nest token for {@link IngestSettings}. */
export const INGEST_SETTINGS = Symbol('kairos.ingest.settings');

export function loadIngestSettings(env?: Record<string, string | undefined>): IngestSettings {
  const vars = loadExtraConfig(
    {
      // A day covers upstream retry windows (Segment's own dedupe window is 24 h as well).
      KAIROS_INGEST_DEDUPE_TTL_S: v(positiveInt, '86400'),
    },
    env,
  );
  return { dedupeTtlSeconds: vars.KAIROS_INGEST_DEDUPE_TTL_S };
}
