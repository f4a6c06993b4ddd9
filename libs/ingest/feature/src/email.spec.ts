import { normalizeEmail } from './email';

describe(normalizeEmail.name, () => {
  it.each([
    ['Ada@Example.COM', 'ada@example.com'],
    ['  ada.lovelace+news@mail.example.co.uk \n', 'ada.lovelace+news@mail.example.co.uk'],
    ["o'brien@example.ie", "o'brien@example.ie"],
    ['user@xn--80ak6aa92e.xn--p1ai', 'user@xn--80ak6aa92e.xn--p1ai'],
    ['a_b-c@sub-domain.example.io', 'a_b-c@sub-domain.example.io'],
  ])('accepts and canonicalizes %j', (input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
  });

  it.each([
    '',
    'plainaddress',
    '@example.com',
    'ada@',
    'ada@example',
    'ada@@example.com',
    'ada lovelace@example.com',
    'ada..lovelace@example.com',
    '.ada@example.com',
    'ada.@example.com',
    'ada@-example.com',
    'ada@example-.com',
    'ada@example..com',
    'ada@example.c',
    '"ada"@example.com',
    'ada@exa_mple.com',
    `${'a'.repeat(65)}@example.com`,
    `ada@${'a'.repeat(250)}.com`,
  ])('rejects %j', (input) => {
    expect(normalizeEmail(input)).toBeUndefined();
  });
});
