import type { ConsentState } from '@kairos/contracts';

/** What the scheduler knows about a person, as the consent guard needs it. */
export interface GuardProfile {
  emailPresent: boolean;
  emailConsent: ConsentState;
  /** When the profile projection last changed (to compare with consent events seen directly). */
  updatedAt?: Date;
  /** A hard bounce seen for the address (Email Bounced), unless the address changed since. */
  bouncedAt?: Date | null;
  /** The latest consent event seen directly on the event stream (Subscription Changed / Unsubscribed). */
  consentEvent?: { status: 'subscribed' | 'unsubscribed'; at: Date } | null;
}

export type GuardVerdict = { allowed: true } | { allowed: false; reason: string };

/**
 * The consent check made when a timer fires (ARCHITECTURE.md, "Signals → triggers"; consent is
 * checked again by the renderer right before sending), on data read fresh in the firing
 * transaction. Allowed: subscribed or unknown (no opt-out recorded). Suppressed: unsubscribed,
 * bounced, no address, or a profile the scheduler does not know (never seen, or erased — an
 * erased profile's projection row is deleted). The newer of the projection's consent and a
 * consent event seen directly wins, so an unsubscribe a second before firing is honoured even
 * if identity-resolution has not republished the profile yet.
 */
export function checkMarketingEmail(profile: GuardProfile | undefined): GuardVerdict {
  if (!profile) return { allowed: false, reason: 'profile unknown to the scheduler' };
  if (effectiveConsent(profile) === 'unsubscribed')
    return { allowed: false, reason: 'unsubscribed from email' };
  if (!profile.emailPresent) return { allowed: false, reason: 'no email address' };
  if (profile.bouncedAt) return { allowed: false, reason: 'email address bounced' };
  return { allowed: true };
}

export function effectiveConsent(profile: GuardProfile): ConsentState {
  const event = profile.consentEvent;
  if (!event) return profile.emailConsent;
  if (!profile.updatedAt || event.at.getTime() > profile.updatedAt.getTime()) return event.status;
  return profile.emailConsent;
}
