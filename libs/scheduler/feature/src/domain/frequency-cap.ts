/** One message request in the send ledger, as the caps and the overlap rule see it. */
export interface LedgerSend {
  definitionId: string;
  category: 'marketing' | 'transactional';
  priority: number;
  /** When it was sent (the renderer's 'sent' outcome), or requested while no outcome is known. */
  at: Date;
  /** 'requested' (in flight) and 'sent' count; failed/suppressed/held requests did not reach anyone. */
  status: 'requested' | 'sent' | 'held' | 'failed' | 'suppressed';
}

export interface FrequencyCap {
  /** At most this many marketing emails … */
  max: number;
  /** … per person in any rolling window of this length. */
  windowMs: number;
}

export type CapVerdict = { allowed: true } | { allowed: false; reason: string };

/** Whether a ledger row may have reached (or is about to reach) the person. */
export function counts(send: LedgerSend): boolean {
  return send.status === 'requested' || send.status === 'sent';
}

/**
 * The frequency cap: a marketing email is allowed while fewer than `max` marketing emails went
 * (or are going) to the person in the last `windowMs`. Requests still in flight count, so a
 * burst of firings cannot overshoot the cap before the outcomes arrive. Transactional mail is
 * exempt and does not count.
 */
export function checkFrequencyCap(
  category: 'marketing' | 'transactional',
  ledger: readonly LedgerSend[],
  now: Date,
  cap: FrequencyCap,
): CapVerdict {
  if (category === 'transactional') return { allowed: true };
  const since = now.getTime() - cap.windowMs;
  const recent = ledger.filter(
    (s) =>
      s.category === 'marketing' &&
      counts(s) &&
      s.at.getTime() > since &&
      s.at.getTime() <= now.getTime(),
  ).length;
  if (recent < cap.max) return { allowed: true };
  const days = Math.round((cap.windowMs / 86_400_000) * 10) / 10;
  return {
    allowed: false,
    reason: `frequency cap: ${recent} marketing email(s) in the last ${days} day(s) (max ${cap.max})`,
  };
}
