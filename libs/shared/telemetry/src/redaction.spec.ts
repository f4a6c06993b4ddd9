import { redactUrl, redisStatement } from './redaction';

describe('redaction', () => {
  it('drops query strings from URLs', () => {
    expect(redactUrl('/admin/profiles?email=ann@example.com')).toBe('/admin/profiles?[redacted]');
    expect(redactUrl('/health')).toBe('/health');
  });

  it('keeps Redis commands and keys but not values', () => {
    const statement = redisStatement('hset', [
      'kairos:identity:profile:p1',
      'email',
      'ann@example.com',
    ]);
    expect(statement).toBe('hset kairos:identity:profile:p1 [2 args]');
    expect(statement).not.toContain('ann@example.com');
  });
});
