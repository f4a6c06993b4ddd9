import { z } from 'zod';
import { loadExtraConfig, positiveInt, v } from '@kairos/config';
import { isValidTimeZone } from './domain/local-time';
import { parseQuietHours, type QuietHours } from './domain/quiet-hours';

const H = 3_600_000;
const D = 24 * H;

export interface SchedulerConfig {
  /** Inactivity after the last cart activity before the abandoned-cart reminder fires (the
   *  default; the abandoned_cart definition's `delayMs` param overrides it). */
  abandonedCartDelayMs: number;
  /** How often the dispatcher looks for due timers. */
  pollIntervalMs: number;
  /** Timers claimed and fired per transaction. */
  fireBatchSize: number;
  /** How long a claimed timer stays claimed; after that another dispatcher may take it over. */
  leaseMs: number;
  /** Frequency cap: at most `max` marketing emails per person per rolling `windowMs`. */
  cap: { max: number; windowMs: number };
  /** Local quiet hours (null = off). */
  quietHours: QuietHours | null;
  /** Campaigns wanting one person within this window compete; the highest priority wins. */
  overlapWindowMs: number;
  /** Send-time optimization of non-urgent sends. */
  sto: { maxDelayMs: number; minOpens: number; priorStrength: number; minLift: number };
  /** The zone of people without a (valid) time zone. */
  defaultTimeZone: string;
}

/** Nest token for {@link SchedulerConfig}. */
export const SCHEDULER_CONFIG = Symbol('kairos.scheduler.config');

const nonNegativeInt = z.coerce.number().int().nonnegative();
const quietHours = z.string().transform((text, ctx) => {
  const parsed = parseQuietHours(text);
  if (parsed === undefined) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'expected HH:MM-HH:MM or off' });
    return z.NEVER;
  }
  return parsed;
});
const timeZone = z.string().refine(isValidTimeZone, 'expected an IANA time zone');
const ratio = z.coerce.number().nonnegative();

/** The trigger-scheduler's own environment variables (the shared ones come from loadConfig). */
export function loadSchedulerConfig(env?: Record<string, string | undefined>): SchedulerConfig {
  const vars = loadExtraConfig(
    {
      KAIROS_ABANDONED_CART_DELAY_MS: v(positiveInt, String(4 * H)),
      KAIROS_SCHEDULER_POLL_MS: v(positiveInt, '1000'),
      KAIROS_TIMER_LEASE_MS: v(positiveInt, '60000'),
      KAIROS_FIRE_BATCH_SIZE: v(positiveInt, '500'),
      KAIROS_CAP_MARKETING_MAX: v(nonNegativeInt, '3'),
      KAIROS_CAP_WINDOW_MS: v(positiveInt, String(7 * D)),
      KAIROS_QUIET_HOURS: v(quietHours, '21:00-08:00'),
      KAIROS_OVERLAP_WINDOW_MS: v(nonNegativeInt, String(H)),
      KAIROS_STO_MAX_DELAY_MS: v(nonNegativeInt, String(24 * H)),
      KAIROS_STO_MIN_OPENS: v(positiveInt, '3'),
      KAIROS_STO_PRIOR_STRENGTH: v(ratio, '5'),
      KAIROS_STO_MIN_LIFT: v(ratio, '0.1'),
      KAIROS_DEFAULT_TIMEZONE: v(timeZone, 'UTC'),
    },
    env,
  );
  return {
    abandonedCartDelayMs: vars.KAIROS_ABANDONED_CART_DELAY_MS,
    pollIntervalMs: vars.KAIROS_SCHEDULER_POLL_MS,
    fireBatchSize: vars.KAIROS_FIRE_BATCH_SIZE,
    leaseMs: vars.KAIROS_TIMER_LEASE_MS,
    cap: { max: vars.KAIROS_CAP_MARKETING_MAX, windowMs: vars.KAIROS_CAP_WINDOW_MS },
    quietHours: vars.KAIROS_QUIET_HOURS,
    overlapWindowMs: vars.KAIROS_OVERLAP_WINDOW_MS,
    sto: {
      maxDelayMs: vars.KAIROS_STO_MAX_DELAY_MS,
      minOpens: vars.KAIROS_STO_MIN_OPENS,
      priorStrength: vars.KAIROS_STO_PRIOR_STRENGTH,
      minLift: vars.KAIROS_STO_MIN_LIFT,
    },
    defaultTimeZone: vars.KAIROS_DEFAULT_TIMEZONE,
  };
}
