/**
 * Re-engagement and welcome rules over a person's recent activity. Pure; times are instants.
 */

export interface VisitWindow {
  /** Visits are counted in this rolling window (7 days). */
  windowMs: number;
  /** Page events closer than this to the previous counted visit belong to the same visit. */
  sessionGapMs: number;
}

/**
 * Add a page event to the list of visit starts (ascending): a new visit only when it is at
 * least `sessionGapMs` after the latest one (three page views in a minute are one visit).
 * Visits older than the window (relative to `now`) are dropped, so the list stays small.
 * An event that arrives late (older than the latest visit) is only counted if it starts a
 * visit of its own, i.e. is far enough from every counted one.
 */
export function recordVisit(visits: readonly Date[], at: Date, now: Date, w: VisitWindow): Date[] {
  const since = now.getTime() - w.windowMs;
  const kept = visits.filter((v) => v.getTime() > since);
  if (at.getTime() <= since) return kept;
  const near = kept.some((v) => Math.abs(v.getTime() - at.getTime()) < w.sessionGapMs);
  if (near) return kept;
  return [...kept, at].sort((a, b) => a.getTime() - b.getTime());
}

/** Visits within the window ending at `now`. */
export function visitsInWindow(visits: readonly Date[], now: Date, windowMs: number): number {
  const since = now.getTime() - windowMs;
  return visits.filter((v) => v.getTime() > since && v.getTime() <= now.getTime()).length;
}

/**
 * "≥ minVisits site visits in the window without a purchase": browsing with intent but not
 * buying. A purchase inside the window (or after the first counted visit) means no trigger.
 */
export function wantsReEngagement(
  visits: readonly Date[],
  lastPurchaseAt: Date | null,
  now: Date,
  minVisits: number,
  windowMs: number,
): boolean {
  if (visitsInWindow(visits, now, windowMs) < minVisits) return false;
  return !lastPurchaseAt || lastPurchaseAt.getTime() <= now.getTime() - windowMs;
}

/** The welcome offer is valid for people who subscribed within the last `days` days. */
export function welcomeOfferValid(subscribedAt: Date | null, now: Date, days: number): boolean {
  if (!subscribedAt) return false;
  const age = now.getTime() - subscribedAt.getTime();
  return age >= -60_000 && age <= days * 86_400_000;
}
