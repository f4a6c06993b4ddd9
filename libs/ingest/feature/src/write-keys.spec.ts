import { WriteKeys, writeKeyOf } from './write-keys';

const basic = (userPass: string) => `Basic ${Buffer.from(userPass).toString('base64')}`;

describe(WriteKeys.name, () => {
  const keys = new WriteKeys(['key-one', 'key-two']);

  it('accepts any configured key as the Basic user name with an empty password', () => {
    expect(keys.check(basic('key-one:'))).toEqual({ ok: true });
    expect(keys.check(basic('key-two:'))).toEqual({ ok: true });
  });

  it('refuses an unknown key without echoing it', () => {
    const result = keys.check(basic('key-three:'));
    expect(result).toEqual({ ok: false, message: 'Invalid write key.' });
  });

  it('says how to send the key when the header is missing or not Basic', () => {
    for (const header of [undefined, '', 'Bearer key-one', basic(':')]) {
      const result = keys.check(header);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.message).toMatch(/HTTP Basic user name/);
    }
  });

  it('refuses every call, saying why, when no key is configured', () => {
    const result = new WriteKeys([]).check(basic('anything:'));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(
      /no write keys configured.*KAIROS_INGEST_WRITE_KEYS/,
    );
  });
});

describe(writeKeyOf.name, () => {
  it('takes the user name, with or without a colon', () => {
    expect(writeKeyOf(basic('abc:'))).toBe('abc');
    expect(writeKeyOf(basic('abc'))).toBe('abc');
    expect(writeKeyOf(basic('abc:ignored-password'))).toBe('abc');
    expect(writeKeyOf(`basic   ${Buffer.from('abc:').toString('base64')}`)).toBe('abc');
  });
});
