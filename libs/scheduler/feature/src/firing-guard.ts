import type { ConsentState } from '@kairos/contracts';

/** What the scheduler's profile projection knows about a person, as the guards need it. */
export interface GuardProfile {
  emailPresent: boolean;
  emailConsent: ConsentState;
}

export type GuardVerdict = { allowed: true } | { allowed: false; reason: string };

/**
 * Checks made when a timer fires (ARCHITECTURE.md, "Signals → triggers"; consent is checked
 * again by the renderer right before sending). Marketing mail needs an address and no opt-out;
 * 'unknown' consent is allowed (no opt-out recorded). A profile the scheduler has never seen is
 * suppressed rather than guessed at.
 */
export function checkMarketingEmail(profile: GuardProfile | undefined): GuardVerdict {
  if (!profile) return { allowed: false, reason: 'profile unknown to the scheduler' };
  if (profile.emailConsent === 'unsubscribed')
    return { allowed: false, reason: 'unsubscribed from email' };
  if (!profile.emailPresent) return { allowed: false, reason: 'no email address' };
  return { allowed: true };
}
