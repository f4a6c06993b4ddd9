import { loadRendererConfig } from './renderer.config';

describe(loadRendererConfig.name, () => {
  it('has local defaults', () => {
    expect(loadRendererConfig({})).toEqual({
      smtpUrl: 'smtp://127.0.0.1:2525',
      smtpFrom: 'Kairos <no-reply@kairos.local>',
      publicBaseUrl: 'http://127.0.0.1:3306',
    });
  });

  it('drops a trailing slash from the public base URL', () => {
    expect(
      loadRendererConfig({ KAIROS_PUBLIC_BASE_URL: 'https://mail.example.com/' }).publicBaseUrl,
    ).toBe('https://mail.example.com');
  });

  it('names a bad variable', () => {
    expect(() => loadRendererConfig({ KAIROS_SMTP_URL: 'http://nope' })).toThrow(/KAIROS_SMTP_URL/);
  });
});
