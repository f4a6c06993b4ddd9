import type { DailyChurn } from './membership.repository';

export interface DailyStats extends DailyChurn {
  /** Members at the end of the day (UTC). */
  size: number;
}

/**
 * Size and churn per day for the `days` days ending with `today` (YYYY-MM-DD, UTC), oldest
 * first, every day present (0 when nothing happened). Sizes are reconstructed backwards from
 * the current size: size(end of d) = size(end of d+1) − entered(d+1) + exited(d+1). Changes
 * recorded after `today` (a clock that moved on meanwhile) are included in `currentSize` and
 * are subtracted the same way.
 */
export function sizeOverTime(
  currentSize: number,
  churn: readonly DailyChurn[],
  today: string,
  days: number,
): DailyStats[] {
  const byDay = new Map(churn.map((c) => [c.day, c]));
  const todayMs = Date.parse(`${today}T00:00:00Z`);
  let size = currentSize;
  for (const c of churn) if (c.day > today) size += c.exited - c.entered;
  const out: DailyStats[] = [];
  for (let i = 0; i < days; i++) {
    const day = new Date(todayMs - i * 86_400_000).toISOString().slice(0, 10);
    const c = byDay.get(day) ?? { day, entered: 0, exited: 0 };
    out.push({ day, entered: c.entered, exited: c.exited, size });
    size += c.exited - c.entered;
  }
  return out.reverse();
}
