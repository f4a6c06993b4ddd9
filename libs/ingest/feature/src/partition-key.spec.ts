import { createHash } from 'node:crypto';
import { partitionKey } from './partition-key';

describe(partitionKey.name, () => {
  it('is the first 32 hex characters of the SHA-256 of the identity', () => {
    const expected = createHash('sha256').update('ada@example.com').digest('hex').slice(0, 32);
    expect(partitionKey('ada@example.com')).toBe(expected);
    expect(partitionKey('ada@example.com')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('is stable per identity and differs between identities, never revealing the id', () => {
    expect(partitionKey('u1')).toBe(partitionKey('u1'));
    expect(partitionKey('u1')).not.toBe(partitionKey('u2'));
    expect(partitionKey('ada@example.com')).not.toContain('ada');
  });
});
