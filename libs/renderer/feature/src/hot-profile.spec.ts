import { parseRecipient, parseRecommendations, reasonText } from './hot-profile';

describe(parseRecipient.name, () => {
  it("reads identity-resolution's hash", () => {
    expect(
      parseRecipient({
        profileId: 'p',
        version: '3',
        email: 'ada@example.com',
        firstName: 'Ada',
        emailConsent: 'subscribed',
        traits: '{"plan":"pro"}',
      }),
    ).toEqual({
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: undefined,
      timezone: undefined,
      emailConsent: 'subscribed',
      traits: { plan: 'pro' },
    });
  });

  it('is undefined for a missing profile (HGETALL of a missing key is {})', () => {
    expect(parseRecipient({})).toBeUndefined();
    expect(parseRecipient(null)).toBeUndefined();
  });

  it('treats odd consent and unreadable traits leniently', () => {
    expect(
      parseRecipient({ email: 'a@b.c', emailConsent: 'maybe', traits: '{nope' }),
    ).toMatchObject({
      emailConsent: 'unknown',
      traits: {},
    });
  });
});

describe(parseRecommendations.name, () => {
  it('reads the top-N list and caps it', () => {
    const list = Array.from({ length: 6 }, (_, i) => ({
      productId: `p${i}`,
      name: `P${i}`,
      score: 1 - i / 10,
      reason: 'als',
    }));
    const parsed = parseRecommendations(JSON.stringify(list));
    expect(parsed).toHaveLength(4);
    expect(parsed[0]).toEqual({
      productId: 'p0',
      name: 'P0',
      score: 1,
      reason: 'als',
      imageUrl: undefined,
      url: undefined,
    });
  });

  it('skips entries without a product id and survives junk', () => {
    expect(
      parseRecommendations(JSON.stringify([{ name: 'x' }, 3, { productId: 'a' }])).map(
        (r) => r.productId,
      ),
    ).toEqual(['a']);
    expect(parseRecommendations('not json')).toEqual([]);
    expect(parseRecommendations('{"a":1}')).toEqual([]);
    expect(parseRecommendations(null)).toEqual([]);
  });
});

describe(reasonText.name, () => {
  it('turns the recommender reason into words a person can read', () => {
    expect(reasonText({ model: 'content', seedProductId: 'p1', seedName: 'Trail Tent 2P' })).toBe(
      'Because you viewed Trail Tent 2P',
    );
    expect(reasonText({ model: 'als', seedProductId: 'p1' })).toBeUndefined();
    expect(reasonText({ model: 'popularity' })).toBe('Popular right now');
    expect(reasonText('als')).toBe('als');
    expect(reasonText(42)).toBeUndefined();
  });
});
