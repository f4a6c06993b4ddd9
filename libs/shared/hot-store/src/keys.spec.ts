import { HotKeys } from './keys';

describe(HotKeys.name, () => {
  it('builds <prefix><service>:<entity>:<id> keys', () => {
    const keys = new HotKeys('kairos:t1:');
    expect(keys.profile('p1')).toBe('kairos:t1:identity:profile:p1');
    expect(keys.traits('p1')).toBe('kairos:t1:segmentation:traits:p1');
    expect(keys.segments('p1')).toBe('kairos:t1:segmentation:segments:p1');
    expect(keys.recommendations('p1')).toBe('kairos:t1:recommender:top:p1');
    expect(keys.pattern('identity')).toBe('kairos:t1:identity:*');
  });

  it('refuses a prefix that could smuggle glob characters into patterns', () => {
    expect(() => new HotKeys('kairos:*')).toThrow(/invalid Redis key prefix/);
  });
});
