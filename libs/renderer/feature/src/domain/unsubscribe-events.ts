import type { RawEvent } from '@kairos/contracts';

export interface UnsubscribeFacts {
  deliveryId: string;
  profileId: string;
  trigger: string;
  template: string;
  /** The recipient's address from the hot profile; undefined if the profile is not there. */
  email: string | undefined;
  at: Date;
}

/**
 * The raw events an unsubscribe feeds back into ingest (Segment spec), in order:
 *
 *  1. an `identify` with `email_consent: unsubscribed` and the address — the consent change
 *     identity-resolution applies today (it resolves the person by the email identifier);
 *  2. the Segment email-spec `Unsubscribed` track event (email_id = the delivery id), for
 *     engagement traits and anyone listening.
 *
 * Both carry the same anonymousId, derived from the profile id, so ingest keys them to one
 * partition and identity ties them to the profile the email resolved (a stable alias of that
 * profile, nothing else). Their messageIds derive from the delivery id, so a republish is
 * dropped by ingest's duplicate filter. `context.kairos` names the profile and delivery for
 * consumers that can use them directly. Without an address nothing is published: an event with
 * only the synthetic id would make identity create a new, empty profile.
 */
export function unsubscribeEvents(facts: UnsubscribeFacts): RawEvent[] {
  if (!facts.email) return [];
  const anonymousId = unsubscribeAnonymousId(facts.profileId);
  const timestamp = facts.at.toISOString();
  const context = { kairos: { profileId: facts.profileId, deliveryId: facts.deliveryId } };
  return [
    {
      type: 'identify',
      messageId: `kairos-unsubscribe-identify-${facts.deliveryId}`,
      anonymousId,
      timestamp,
      traits: { email: facts.email, email_consent: 'unsubscribed' },
      context,
    },
    {
      type: 'track',
      event: 'Unsubscribed',
      messageId: `kairos-unsubscribe-${facts.deliveryId}`,
      anonymousId,
      timestamp,
      properties: {
        email_id: facts.deliveryId,
        campaign_id: facts.trigger,
        campaign_name: facts.template,
      },
      context: { ...context, traits: { email: facts.email } },
    },
  ];
}

export function unsubscribeAnonymousId(profileId: string): string {
  return `kairos-profile-${profileId}`;
}
