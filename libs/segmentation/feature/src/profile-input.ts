import type { ConsentState, ProfileChanged } from '@kairos/contracts';
import {
  emptyTraits,
  type ComputedTraits,
  type ProfileSnapshot,
} from '@kairos/segmentation/domain';

/**
 * What segmentation keeps of a ProfileChanged: only what the segment language reads
 * (FIELD_CATALOG `profile.*` and `profile.traits.<custom>`). The email ADDRESS is not kept —
 * segments only read whether there is one and its domain — so this table holds less PII than
 * the identity store. Names and phone numbers are dropped. Custom identify traits are kept as
 * given (the language reads them); they are never logged.
 */
export interface StoredProfile {
  birthday: string | null;
  timezone: string | null;
  emailConsent: ConsentState;
  hasEmail: boolean;
  emailDomain: string | null;
  traits: Record<string, unknown>;
}

export function toStoredProfile(change: ProfileChanged): StoredProfile {
  const email = change.email ?? '';
  const at = email.lastIndexOf('@');
  return {
    birthday: change.birthday,
    timezone: change.timezone,
    emailConsent: change.emailConsent,
    hasEmail: email !== '',
    emailDomain: at >= 0 && at < email.length - 1 ? email.slice(at + 1).toLowerCase() : null,
    traits: change.traits,
  };
}

/**
 * The domain's ProfileSnapshot for a stored profile. The email is a stand-in with the same
 * domain: `toFacts` derives only `profile.hasEmail` and `profile.emailDomain` from it.
 */
export function toProfileSnapshot(stored: StoredProfile | null): ProfileSnapshot | null {
  if (!stored) return null;
  const email = stored.hasEmail
    ? stored.emailDomain
      ? `redacted@${stored.emailDomain}`
      : 'redacted'
    : null;
  return {
    birthday: stored.birthday,
    timezone: stored.timezone,
    email,
    emailConsent: stored.emailConsent,
    traits: stored.traits,
  };
}

/**
 * Traits as read back from jsonb: every key the current model has, defaulted, so a document
 * written by an older model (or converted by the migration) stays valid as the model grows.
 */
export function traitsFromJson(profileId: string, json: Record<string, unknown>): ComputedTraits {
  return { ...emptyTraits(profileId), ...json, profileId };
}

/**
 * Profile-level facts that live in the traits model: the signup time comes from the profile's
 * `createdAt` / `created_at` trait (Segment's reserved identify trait) when the profile carries
 * one; the earliest seen wins, as in the model's own identify handling.
 */
export function withProfileTraits(traits: ComputedTraits, stored: StoredProfile): ComputedTraits {
  const raw = stored.traits.createdAt ?? stored.traits.created_at;
  const signup = typeof raw === 'string' || typeof raw === 'number' ? new Date(raw).getTime() : NaN;
  if (Number.isNaN(signup)) return traits;
  if (traits.signupAt !== null && traits.signupAt <= signup) return traits;
  return { ...traits, signupAt: signup };
}
