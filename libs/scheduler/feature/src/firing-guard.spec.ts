import { checkMarketingEmail } from './firing-guard';

describe(checkMarketingEmail.name, () => {
  it('allows a subscribed profile with an address', () => {
    expect(checkMarketingEmail({ emailPresent: true, emailConsent: 'subscribed' })).toEqual({
      allowed: true,
    });
  });

  it('allows unknown consent (no opt-out recorded)', () => {
    expect(checkMarketingEmail({ emailPresent: true, emailConsent: 'unknown' })).toEqual({
      allowed: true,
    });
  });

  it('suppresses an unsubscribed profile', () => {
    expect(checkMarketingEmail({ emailPresent: true, emailConsent: 'unsubscribed' })).toEqual({
      allowed: false,
      reason: 'unsubscribed from email',
    });
  });

  it('suppresses a profile without an address', () => {
    expect(checkMarketingEmail({ emailPresent: false, emailConsent: 'subscribed' })).toEqual({
      allowed: false,
      reason: 'no email address',
    });
  });

  it('suppresses a profile it has never seen', () => {
    expect(checkMarketingEmail(undefined)).toMatchObject({ allowed: false });
  });
});
