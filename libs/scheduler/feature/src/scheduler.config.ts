import { loadExtraConfig, positiveInt, v } from '@kairos/config';

const FOUR_HOURS_MS = 4 * 60 * 60 * 1000;

export interface SchedulerConfig {
  /** Inactivity after the last cart activity before the abandoned-cart reminder fires. */
  abandonedCartDelayMs: number;
  /** How often the dispatcher looks for due timers. */
  pollIntervalMs: number;
}

/** Nest token for {@link SchedulerConfig}. */
export const SCHEDULER_CONFIG = Symbol('kairos.scheduler.config');

/** The trigger-scheduler's own environment variables (the shared ones come from loadConfig). */
export function loadSchedulerConfig(env?: Record<string, string | undefined>): SchedulerConfig {
  const vars = loadExtraConfig(
    {
      KAIROS_ABANDONED_CART_DELAY_MS: v(positiveInt, String(FOUR_HOURS_MS)),
      KAIROS_SCHEDULER_POLL_MS: v(positiveInt, '1000'),
    },
    env,
  );
  return {
    abandonedCartDelayMs: vars.KAIROS_ABANDONED_CART_DELAY_MS,
    pollIntervalMs: vars.KAIROS_SCHEDULER_POLL_MS,
  };
}
