import { ProfileChanged, parseContract, type JsonObject } from '@kairos/contracts';
import { sortKeys, type IdentifierKey } from './identifier-keys';
import type { ProfileState } from './profile-state';

/** A profile as the use case works with it (what the repository loads and stores). */
export interface Profile {
  id: string;
  version: number;
  state: ProfileState;
  createdAt: Date;
  updatedAt: Date;
}

/** The full `profiles.changes.v1` payload for one version of a profile. Contains PII. */
export function toProfileChanged(
  profile: Profile,
  identifiers: readonly IdentifierKey[],
): ProfileChanged {
  const { fields, traits } = profile.state;
  return {
    profileId: profile.id,
    version: profile.version,
    email: fields.email,
    phone: fields.phone,
    firstName: fields.firstName,
    lastName: fields.lastName,
    birthday: fields.birthday,
    timezone: fields.timezone,
    emailConsent: fields.emailConsent,
    traits,
    identifiers: sortKeys(identifiers).map(({ type, value }) => ({ type, value })),
    updatedAt: profile.updatedAt.toISOString(),
  };
}

/**
 * The Redis hash the renderer reads at send time. Hash fields are strings; a field whose value
 * is null is left out (the hash is replaced as a whole, so a cleared value disappears), and
 * traits travel as one JSON string.
 */
export function toHotProfileHash(snapshot: ProfileChanged): Record<string, string> {
  const hash: Record<string, string> = {
    profileId: snapshot.profileId,
    version: String(snapshot.version),
    emailConsent: snapshot.emailConsent,
    traits: JSON.stringify(snapshot.traits satisfies JsonObject),
  };
  for (const field of [
    'email',
    'phone',
    'firstName',
    'lastName',
    'birthday',
    'timezone',
  ] as const) {
    const value = snapshot[field];
    if (value !== null) hash[field] = value;
  }
  return hash;
}

/**
 * The state a stored version describes: its published snapshot plus the event times of its
 * values (null for versions written before times were kept; every value then counts as set at
 * the version's updatedAt, which is as old as it can be known to be).
 */
export function stateFromVersion(
  snapshot: unknown,
  fieldTimes: Record<string, string> | null,
): ProfileState {
  const parsed = parseContract(ProfileChanged, snapshot);
  if (!parsed.ok) throw new Error(`stored profile version breaks its contract: ${parsed.summary}`);
  const v = parsed.value;
  const fields = {
    email: v.email,
    phone: v.phone,
    firstName: v.firstName,
    lastName: v.lastName,
    birthday: v.birthday,
    timezone: v.timezone,
    emailConsent: v.emailConsent,
  };
  let times = fieldTimes;
  if (times === null) {
    times = {};
    for (const [name, value] of Object.entries(fields))
      if (value !== null && name !== 'emailConsent') times[name] = v.updatedAt;
    for (const key of Object.keys(v.traits)) times[`traits.${key}`] = v.updatedAt;
  }
  return { fields, traits: { ...v.traits }, fieldTimes: { ...times } };
}
