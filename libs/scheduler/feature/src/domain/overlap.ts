import { counts, type LedgerSend } from './frequency-cap';

/** A campaign that wants the person: a firing now, or an armed timer due soon. */
export interface Contender {
  definitionId: string;
  priority: number;
  dueAt: Date;
}

export type OverlapVerdict =
  | { action: 'fire' }
  | { action: 'suppress'; reason: string }
  | { action: 'defer'; until: Date; reason: string };

/**
 * Campaign overlap: of the campaigns that want one person within `windowMs`, the highest
 * priority wins.
 *
 *  - A marketing email of equal or higher priority sent (or in flight) in the last window
 *    suppresses this one (equal: first come, first served).
 *  - A higher-priority campaign armed to fire within the coming window makes this one wait
 *    until just after it (then the rule above decides, and if the winner was itself suppressed,
 *    this one still gets its chance). A lower-priority email sent earlier does not stop this
 *    one: what was sent cannot be unsent, and caps bound the total.
 */
export function checkOverlap(
  candidate: { definitionId: string; priority: number },
  ledger: readonly LedgerSend[],
  upcoming: readonly Contender[],
  now: Date,
  windowMs: number,
): OverlapVerdict {
  const since = now.getTime() - windowMs;
  const winner = ledger
    .filter(
      (s) =>
        s.category === 'marketing' &&
        counts(s) &&
        s.at.getTime() > since &&
        s.at.getTime() <= now.getTime() &&
        s.priority >= candidate.priority,
    )
    .sort((a, b) => b.priority - a.priority)[0];
  if (winner) {
    return {
      action: 'suppress',
      reason: `overlap: ${winner.definitionId} (priority ${winner.priority}) sent ${winner.at.toISOString()} within the window; ${candidate.definitionId} has priority ${candidate.priority}`,
    };
  }
  const until = now.getTime() + windowMs;
  const higher = upcoming
    .filter(
      (c) =>
        c.definitionId !== candidate.definitionId &&
        c.priority > candidate.priority &&
        c.dueAt.getTime() <= until,
    )
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())[0];
  if (higher) {
    const after = new Date(Math.max(higher.dueAt.getTime(), now.getTime()) + 60_000);
    return {
      action: 'defer',
      until: after,
      reason: `overlap: waiting for ${higher.definitionId} (priority ${higher.priority}) due ${higher.dueAt.toISOString()}`,
    };
  }
  return { action: 'fire' };
}
