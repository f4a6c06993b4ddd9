/**
 * Time in the segmentation domain is epoch milliseconds (UTC) and whole UTC days.
 * Windows ("in the last 30 days") and `daysAgo` are counted in UTC calendar days, so every
 * time-dependent value changes at most once a day: a daily sweep is enough to keep
 * memberships that depend on time alone (e.g. "no order for 60 days") correct.
 */
export const DAY_MS = 86_400_000;

/** The UTC day number of an instant (days since 1970-01-01). */
export function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** Epoch ms from a Date, an ISO string or epoch ms; NaN when unparseable. */
export function toMs(value: Date | string | number): number {
  if (typeof value === 'number') return value;
  if (value instanceof Date) return value.getTime();
  return Date.parse(value);
}

export function maxTime(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return a >= b ? a : b;
}

export function minTime(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return a <= b ? a : b;
}
