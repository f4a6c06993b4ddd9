import { loadIdentitySettings } from './identity.config';

describe(loadIdentitySettings.name, () => {
  it('uses the default merge policy limits', () => {
    expect(loadIdentitySettings({}).mergePolicy.maxPerProfile).toEqual({
      user_id: 1,
      email: 5,
      phone: 5,
      anonymous_id: 100,
    });
  });

  it('lets the environment override a limit', () => {
    const settings = loadIdentitySettings({ KAIROS_IDENTITY_MAX_EMAILS: '2' });
    expect(settings.mergePolicy.maxPerProfile.email).toBe(2);
    expect(settings.mergePolicy.blockedValues.has('test@test.com')).toBe(true);
  });

  it('names a bad variable', () => {
    expect(() => loadIdentitySettings({ KAIROS_IDENTITY_MAX_PHONES: 'many' })).toThrow(
      /KAIROS_IDENTITY_MAX_PHONES/,
    );
  });

  it('uses the benchmarked match thresholds unless overridden, and keeps lower below upper', () => {
    expect(loadIdentitySettings({}).matchThresholds).toEqual({ upper: 13, lower: 8 });
    expect(
      loadIdentitySettings({ KAIROS_IDENTITY_MATCH_UPPER: '15', KAIROS_IDENTITY_MATCH_LOWER: '9' })
        .matchThresholds,
    ).toEqual({ upper: 15, lower: 9 });
    expect(() => loadIdentitySettings({ KAIROS_IDENTITY_MATCH_LOWER: '13' })).toThrow(
      /KAIROS_IDENTITY_MATCH_LOWER/,
    );
  });
});
