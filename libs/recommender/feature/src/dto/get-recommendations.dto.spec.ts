import { MAX_N, parseGetRecommendations } from './get-recommendations.dto';

const P = '5b0c1c2e-8f0a-4a49-9d7e-1f4c3b2a1d00';

describe(parseGetRecommendations.name, () => {
  it('defaults n to the stored top N', () => {
    expect(parseGetRecommendations(P, undefined)).toEqual({
      ok: true,
      value: { profileId: P, n: 3 },
    });
    expect(parseGetRecommendations(P, '')).toEqual({ ok: true, value: { profileId: P, n: 3 } });
    expect(parseGetRecommendations(P, '7')).toEqual({ ok: true, value: { profileId: P, n: 7 } });
  });

  it.each(['0', '-1', '2.5', 'abc', '1e2', String(MAX_N + 1)])('rejects n=%s', (n) => {
    const parsed = parseGetRecommendations(P, n);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(/^n must be a whole number from 1 to 50/);
  });

  it('rejects a profile id that is not a UUID', () => {
    const parsed = parseGetRecommendations('nope', undefined);
    expect(!parsed.ok && parsed.message).toMatch(/profileId must be a profile UUID/);
  });
});
