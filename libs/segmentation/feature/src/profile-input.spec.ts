import type { ProfileChanged } from '@kairos/contracts';
import { emptyTraits, toFacts } from '@kairos/segmentation/domain';
import {
  toProfileSnapshot,
  toStoredProfile,
  traitsFromJson,
  withProfileTraits,
} from './profile-input';

const P = '5b0c1c2e-8f0a-4a49-9d7e-1f4c3b2a1d00';

function change(patch: Partial<ProfileChanged> = {}): ProfileChanged {
  return {
    profileId: P,
    version: 3,
    email: 'Ann@Example.COM',
    phone: '+4915112345678',
    firstName: 'Ann',
    lastName: 'Lee',
    birthday: '1990-05-17',
    timezone: 'Europe/Berlin',
    emailConsent: 'subscribed',
    traits: { plan: 'pro' },
    identifiers: [{ type: 'email', value: 'ann@example.com' }],
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...patch,
  };
}

describe(toStoredProfile.name, () => {
  it('keeps what segments read and drops the address, names and phone', () => {
    const stored = toStoredProfile(change());
    expect(stored).toEqual({
      birthday: '1990-05-17',
      timezone: 'Europe/Berlin',
      emailConsent: 'subscribed',
      hasEmail: true,
      emailDomain: 'example.com',
      traits: { plan: 'pro' },
    });
    expect(JSON.stringify(stored)).not.toMatch(/ann@|Ann|Lee|\+49/i);
  });

  it('gives the same profile facts as the full profile would', () => {
    const now = Date.parse('2026-06-01T12:00:00Z');
    const full = change();
    const fromFull = toFacts(full, emptyTraits(P), now);
    const fromStored = toFacts(toProfileSnapshot(toStoredProfile(full)), emptyTraits(P), now);
    for (const key of Object.keys(fromFull).filter((k) => k.startsWith('profile.')))
      expect([key, fromStored[key]]).toEqual([key, fromFull[key]]);
    expect(fromStored['profile.age']).toBe(36);
  });

  it('handles a profile without an email address', () => {
    const stored = toStoredProfile(change({ email: null }));
    expect(stored).toMatchObject({ hasEmail: false, emailDomain: null });
    expect(toProfileSnapshot(stored)?.email).toBeNull();
  });
});

describe(traitsFromJson.name, () => {
  it('fills keys an older document does not have', () => {
    const traits = traitsFromJson(P, { eventCount: 2, cart: [] });
    expect(traits.eventCount).toBe(2);
    expect(traits.orders).toEqual({ days: [], amounts: [] });
    expect(traits.counters).toEqual({});
    expect(traits.profileId).toBe(P);
  });
});

describe(withProfileTraits.name, () => {
  it('takes the signup time from createdAt, earliest wins', () => {
    const stored = toStoredProfile(change({ traits: { createdAt: '2026-02-01T00:00:00Z' } }));
    const t = withProfileTraits(emptyTraits(P), stored);
    expect(t.signupAt).toBe(Date.parse('2026-02-01T00:00:00Z'));
    const earlier = { ...emptyTraits(P), signupAt: Date.parse('2026-01-01T00:00:00Z') };
    expect(withProfileTraits(earlier, stored)).toBe(earlier);
    const none = emptyTraits(P);
    expect(withProfileTraits(none, toStoredProfile(change()))).toBe(none);
  });
});
