/** Delivery states; a row is created as 'sending' before anything leaves. */
export type DeliveryStatus = 'sending' | 'sent' | 'held' | 'failed';

export interface ExistingDelivery {
  status: DeliveryStatus;
  /** For 'failed': whether nothing reached the recipient and another attempt may send. */
  retriable: boolean;
}

export const UNKNOWN_OUTCOME_REASON = 'unknown outcome of an earlier attempt; needs review';

export type ClaimDecision =
  /** Go ahead and send (a new delivery, or a retry after a failure that sent nothing). */
  | { action: 'send' }
  /** Already settled (sent, held, or failed for good): a redelivered request, do nothing. */
  | { action: 'duplicate' }
  /** An earlier attempt got as far as 'sending' and never settled: it may have sent. */
  | { action: 'hold'; reason: string };

/**
 * Exactly-once-ish sending, given the delivery row for the request's idempotency key (undefined
 * when the claim inserted it). The invariant: an email is handed to SMTP only while its row is
 * 'sending' and was set so by this attempt, and a row found still 'sending' is never sent again
 * — it is held for a human, because a duplicate email is worse than a late one.
 */
export function decideClaim(existing: ExistingDelivery | undefined): ClaimDecision {
  if (!existing) return { action: 'send' };
  switch (existing.status) {
    case 'sent':
    case 'held':
      return { action: 'duplicate' };
    case 'failed':
      return existing.retriable ? { action: 'send' } : { action: 'duplicate' };
    case 'sending':
      return { action: 'hold', reason: UNKNOWN_OUTCOME_REASON };
  }
}
