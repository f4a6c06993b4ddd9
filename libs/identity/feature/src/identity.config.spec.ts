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
});
