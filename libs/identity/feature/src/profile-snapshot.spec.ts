import { ProfileChanged, parseContract } from '@kairos/contracts';
import { toHotProfileHash, toProfileChanged, type Profile } from './profile-snapshot';
import { emptyProfileState } from './profile-state';

const profile: Profile = {
  id: '4d3c7f4e-1b8a-4f7e-9a51-0b7e0f5f2a11',
  version: 3,
  state: {
    fields: {
      ...emptyProfileState().fields,
      email: 'ada@example.com',
      firstName: 'Ada',
      birthday: '1990-12-10',
    },
    traits: { plan: 'pro' },
    fieldTimes: {},
  },
  createdAt: new Date('2025-01-01T00:00:00Z'),
  updatedAt: new Date('2025-03-01T12:00:00Z'),
};

describe(toProfileChanged.name, () => {
  it('builds a contract-valid snapshot with sorted identifiers', () => {
    const snapshot = toProfileChanged(profile, [
      { type: 'user_id', value: 'u1' },
      { type: 'email', value: 'ada@example.com' },
    ]);
    expect(parseContract(ProfileChanged, snapshot).ok).toBe(true);
    expect(snapshot).toMatchObject({
      profileId: profile.id,
      version: 3,
      email: 'ada@example.com',
      lastName: null,
      emailConsent: 'unknown',
      updatedAt: '2025-03-01T12:00:00.000Z',
      identifiers: [
        { type: 'email', value: 'ada@example.com' },
        { type: 'user_id', value: 'u1' },
      ],
    });
  });
});

describe(toHotProfileHash.name, () => {
  it('has string fields, leaves nulls out, and carries traits as JSON', () => {
    expect(toHotProfileHash(toProfileChanged(profile, []))).toEqual({
      profileId: profile.id,
      version: '3',
      email: 'ada@example.com',
      firstName: 'Ada',
      birthday: '1990-12-10',
      emailConsent: 'unknown',
      traits: '{"plan":"pro"}',
    });
  });
});
