/**
 * A compact per-day series: parallel arrays of UTC day numbers (strictly ascending) and the
 * amount recorded on that day. Rolling windows ("purchases in the last 30 days") are sums over
 * the tail, so they are exact whatever order events arrive in, and they expire by themselves as
 * `today` moves on. Storage is bounded by the retention (one entry per active day, at most
 * `retentionDays`); `trimSeries` drops what no window can see any more.
 *
 * Invariants: `days` strictly ascending, `days.length === amounts.length`, no zero amounts
 * (zero-sum days are removed). All functions are pure; they return the input unchanged when
 * nothing changes, so callers can detect "no change" by identity.
 */
export interface DaySeries {
  readonly days: readonly number[];
  readonly amounts: readonly number[];
}

export const EMPTY_SERIES: DaySeries = Object.freeze({ days: [], amounts: [] });

/** Add `amount` on `day`. */
export function addToSeries(series: DaySeries, day: number, amount: number): DaySeries {
  if (amount === 0) return series;
  const { days, amounts } = series;
  // Events mostly arrive in order, so the common case is "append" or "same day as the last".
  let i = days.length;
  while (i > 0 && days[i - 1] > day) i--;
  if (i > 0 && days[i - 1] === day) {
    const nextAmount = amounts[i - 1] + amount;
    if (nextAmount === 0) {
      return {
        days: [...days.slice(0, i - 1), ...days.slice(i)],
        amounts: [...amounts.slice(0, i - 1), ...amounts.slice(i)],
      };
    }
    const nextAmounts = amounts.slice();
    nextAmounts[i - 1] = nextAmount;
    return { days, amounts: nextAmounts };
  }
  return {
    days: [...days.slice(0, i), day, ...days.slice(i)],
    amounts: [...amounts.slice(0, i), amount, ...amounts.slice(i)],
  };
}

/** Sum of the amounts on days >= fromDay (later days, even "future" ones, are included). */
export function sumSince(series: DaySeries, fromDay: number): number {
  const { days, amounts } = series;
  let sum = 0;
  for (let i = days.length - 1; i >= 0 && days[i] >= fromDay; i--) sum += amounts[i];
  return sum;
}

/** The amount in the last `windowDays` days ending with `today` (today included). */
export function windowSum(series: DaySeries, today: number, windowDays: number): number {
  return sumSince(series, today - windowDays + 1);
}

/** Drop the days before `oldestKeptDay`. */
export function trimSeries(series: DaySeries, oldestKeptDay: number): DaySeries {
  const { days, amounts } = series;
  if (days.length === 0 || days[0] >= oldestKeptDay) return series;
  let i = 0;
  while (i < days.length && days[i] < oldestKeptDay) i++;
  return { days: days.slice(i), amounts: amounts.slice(i) };
}

/** Day-by-day sum of two series (profile merges). */
export function mergeSeries(a: DaySeries, b: DaySeries): DaySeries {
  if (b.days.length === 0) return a;
  if (a.days.length === 0) return b;
  const days: number[] = [];
  const amounts: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.days.length || j < b.days.length) {
    const da = i < a.days.length ? a.days[i] : Infinity;
    const db = j < b.days.length ? b.days[j] : Infinity;
    const day = Math.min(da, db);
    let amount = 0;
    if (da === day) amount += a.amounts[i++];
    if (db === day) amount += b.amounts[j++];
    if (amount !== 0) {
      days.push(day);
      amounts.push(amount);
    }
  }
  return { days, amounts };
}
