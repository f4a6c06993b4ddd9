import {
  applyProfileUpdate,
  birthday,
  emptyProfileState,
  extractProfileUpdate,
  mergeProfileStates,
  timezone,
  type ProfileState,
} from './profile-state';
import { acceptedEvent } from './accepted-event.fixture';

const T1 = '2025-03-01T10:00:00.000Z';
const T2 = '2025-03-01T11:00:00.000Z';

describe(extractProfileUpdate.name, () => {
  it('maps identify traits to typed fields and keeps the rest as traits', () => {
    const update = extractProfileUpdate(
      acceptedEvent({
        type: 'identify',
        traits: {
          email: 'ada@example.com',
          first_name: 'Ada',
          lastName: 'Lovelace',
          phone: '+44 20 7946 0000',
          birthday: '1990-12-10T00:00:00.000Z',
          timezone: 'Europe/London',
          subscribed: true,
          plan: 'pro',
          logins: 3,
        },
      }),
    );
    expect(update).toEqual({
      fields: {
        email: 'ada@example.com',
        firstName: 'Ada',
        lastName: 'Lovelace',
        phone: '+44 20 7946 0000',
        birthday: '1990-12-10',
        timezone: 'Europe/London',
        emailConsent: 'subscribed',
      },
      traits: { plan: 'pro', logins: 3 },
    });
  });

  it('prefers firstName over first_name and email_consent over subscribed; falls back to context.timezone', () => {
    const { fields } = extractProfileUpdate(
      acceptedEvent({
        type: 'identify',
        traits: {
          firstName: 'A',
          first_name: 'B',
          email_consent: 'unsubscribed',
          subscribed: true,
        },
        context: { timezone: 'America/New_York' },
      }),
    );
    expect(fields).toEqual({
      firstName: 'A',
      emailConsent: 'unsubscribed',
      timezone: 'America/New_York',
    });
  });

  it('ignores values of the wrong shape and passes null through as "clear"', () => {
    const { fields } = extractProfileUpdate(
      acceptedEvent({
        type: 'identify',
        traits: { birthday: '1990-02-30', timezone: 'Mars/Olympus', phone: null },
      }),
    );
    expect(fields).toEqual({ phone: null });
  });

  it('takes nothing from events other than identify', () => {
    expect(
      extractProfileUpdate(acceptedEvent({ type: 'track', traits: { email: 'x@y.zz' } })),
    ).toEqual({ fields: {}, traits: {} });
  });
});

describe(applyProfileUpdate.name, () => {
  it('sets values with their event time and reports a change', () => {
    const { state, changed } = applyProfileUpdate(
      emptyProfileState(),
      { fields: { email: 'a@b.co' }, traits: { plan: 'pro' } },
      T1,
    );
    expect(changed).toBe(true);
    expect(state.fields.email).toBe('a@b.co');
    expect(state.traits).toEqual({ plan: 'pro' });
    expect(state.fieldTimes).toEqual({ email: T1, 'traits.plan': T1 });
  });

  it('does not let an older event overwrite a newer value', () => {
    const newer = applyProfileUpdate(
      emptyProfileState(),
      { fields: { email: 'new@b.co' }, traits: { plan: 'pro' } },
      T2,
    ).state;
    const { state, changed } = applyProfileUpdate(
      newer,
      { fields: { email: 'old@b.co' }, traits: { plan: 'free' } },
      T1,
    );
    expect(changed).toBe(false);
    expect(state).toEqual(newer);
  });

  it('reports no change for the same values, but keeps the newer time', () => {
    const first = applyProfileUpdate(
      emptyProfileState(),
      { fields: { firstName: 'Ada' }, traits: {} },
      T1,
    ).state;
    const { state, changed } = applyProfileUpdate(
      first,
      { fields: { firstName: 'Ada' }, traits: {} },
      T2,
    );
    expect(changed).toBe(false);
    expect(state.fieldTimes.firstName).toBe(T2);
  });

  it('does not mutate its input', () => {
    const input = emptyProfileState();
    applyProfileUpdate(input, { fields: { email: 'a@b.co' }, traits: { x: 1 } }, T1);
    expect(input).toEqual(emptyProfileState());
  });
});

describe(mergeProfileStates.name, () => {
  const survivor: ProfileState = {
    fields: { ...emptyProfileState().fields, email: 's@b.co', firstName: 'Old' },
    traits: { plan: 'pro', shared: 's' },
    fieldTimes: { email: T2, firstName: T1, 'traits.plan': T1, 'traits.shared': T2 },
  };
  const merged: ProfileState = {
    fields: { ...emptyProfileState().fields, email: 'm@b.co', firstName: 'New', phone: '123' },
    traits: { plan: 'free', shared: 'm', extra: true },
    fieldTimes: {
      email: T1,
      firstName: T2,
      phone: T1,
      'traits.plan': T2,
      'traits.shared': T1,
      'traits.extra': T1,
    },
  };

  it('keeps the newer value of each field and trait', () => {
    const state = mergeProfileStates(survivor, merged);
    expect(state.fields).toMatchObject({
      email: 's@b.co',
      firstName: 'New',
      phone: '123',
      emailConsent: 'unknown',
    });
    expect(state.traits).toEqual({ plan: 'free', shared: 's', extra: true });
    expect(state.fieldTimes).toEqual({
      email: T2,
      firstName: T2,
      phone: T1,
      'traits.plan': T2,
      'traits.shared': T2,
      'traits.extra': T1,
    });
  });

  it("keeps the survivor's value on a tie", () => {
    const state = mergeProfileStates(survivor, {
      ...merged,
      fieldTimes: { ...merged.fieldTimes, email: T2 },
    });
    expect(state.fields.email).toBe('s@b.co');
  });
});

describe(birthday.name, () => {
  it.each([
    ['1990-12-10', '1990-12-10'],
    ['2000-02-29T00:00:00Z', '2000-02-29'],
    ['1990-02-30', undefined],
    ['10/12/1990', undefined],
    [19901210, undefined],
    [null, null],
  ])('%j → %j', (input, expected) => {
    expect(birthday(input)).toBe(expected);
  });
});

describe(timezone.name, () => {
  it('accepts IANA zones in canonical spelling and rejects unknown ones', () => {
    expect(timezone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(timezone('europe/berlin')).toBe('Europe/Berlin');
    expect(timezone('Mars/Olympus')).toBeUndefined();
    expect(timezone(3)).toBeUndefined();
  });
});
