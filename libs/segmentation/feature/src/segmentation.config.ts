import { loadExtraConfig, positiveInt, v } from '@kairos/config';

const ONE_HOUR_MS = 60 * 60 * 1000;

export interface SegmentationConfig {
  /**
   * How much CLOCK time passes between two sweeps (time-only changes: windows expiring,
   * "no order for 60 days"). Facts change at most once per UTC day, so an hour is plenty.
   */
  sweepIntervalMs: number;
  /** How often (real time) the background loop looks at the clock and for pending jobs. */
  pollIntervalMs: number;
  /** Profiles per transaction in the sweep and in whole-population jobs. */
  batchSize: number;
}

/** Nest token for {@link SegmentationConfig}. */
export const SEGMENTATION_CONFIG = Symbol('kairos.segmentation.config');

/** Segmentation's own environment variables (the shared ones come from loadConfig). */
export function loadSegmentationConfig(
  env?: Record<string, string | undefined>,
): SegmentationConfig {
  const vars = loadExtraConfig(
    {
      KAIROS_SEGMENTATION_SWEEP_INTERVAL_MS: v(positiveInt, String(ONE_HOUR_MS)),
      KAIROS_SEGMENTATION_POLL_MS: v(positiveInt, '1000'),
      KAIROS_SEGMENTATION_BATCH_SIZE: v(positiveInt, '500'),
    },
    env,
  );
  return {
    sweepIntervalMs: vars.KAIROS_SEGMENTATION_SWEEP_INTERVAL_MS,
    pollIntervalMs: vars.KAIROS_SEGMENTATION_POLL_MS,
    batchSize: vars.KAIROS_SEGMENTATION_BATCH_SIZE,
  };
}
