import { recommend, seedsOf, type CandidateProduct, type HistoryItem } from './recommend';

function product(
  productId: string,
  popularity: number,
  patch: Partial<CandidateProduct> = {},
): CandidateProduct {
  return {
    productId,
    name: productId.toUpperCase(),
    price: 10,
    category: '',
    available: true,
    popularity,
    ...patch,
  };
}

function seen(productId: string, patch: Partial<HistoryItem> = {}): HistoryItem {
  return {
    productId,
    weight: 1,
    lastAt: new Date('2026-01-01T00:00:00Z'),
    purchased: false,
    category: null,
    ...patch,
  };
}

describe(recommend.name, () => {
  it('ranks by popularity with normalized scores and the popularity reason', () => {
    const recs = recommend({
      popular: [product('b', 2), product('a', 8), product('c', 4), product('d', 1)],
      sameCategory: [],
      history: [],
    });
    expect(recs).toEqual([
      { productId: 'a', name: 'A', price: 10, score: 1, reason: { model: 'popularity' } },
      { productId: 'c', name: 'C', price: 10, score: 0.5, reason: { model: 'popularity' } },
      { productId: 'b', name: 'B', price: 10, score: 0.25, reason: { model: 'popularity' } },
    ]);
  });

  it('excludes unavailable and purchased products, and products nobody interacted with', () => {
    const recs = recommend({
      popular: [
        product('gone', 9, { available: false }),
        product('bought', 8),
        product('ok', 1),
        product('cold', 0),
      ],
      sameCategory: [],
      history: [seen('bought', { purchased: true })],
    });
    expect(recs.map((r) => r.productId)).toEqual(['ok']);
  });

  it('adds same-category items of a recent view or add, with the seed as the reason', () => {
    const recs = recommend({
      popular: [product('top', 10), product('shoe-1', 3, { category: 'shoes' })],
      sameCategory: [
        product('shoe-1', 3, { category: 'shoes' }),
        product('shoe-2', 0, { category: 'shoes' }),
        product('hat-1', 0, { category: 'hats' }),
      ],
      history: [seen('shoe-1', { weight: 3, category: 'shoes' })],
    });
    expect(recs).toEqual([
      { productId: 'top', name: 'TOP', price: 10, score: 1, reason: { model: 'popularity' } },
      {
        productId: 'shoe-2',
        name: 'SHOE-2',
        price: 10,
        score: 0.5,
        reason: { model: 'content', seedProductId: 'shoe-1' },
      },
      {
        productId: 'shoe-1',
        name: 'SHOE-1',
        price: 10,
        score: 0.3,
        reason: { model: 'popularity' },
      },
    ]);
  });

  it('keeps the better reason when a product comes from both models', () => {
    const recs = recommend({
      popular: [product('x', 10, { category: 'c' }), product('y', 2, { category: 'c' })],
      sameCategory: [product('x', 10, { category: 'c' }), product('y', 2, { category: 'c' })],
      history: [seen('x', { category: 'c' })],
    });
    expect(recs.find((r) => r.productId === 'y')).toEqual({
      productId: 'y',
      name: 'Y',
      price: 10,
      score: 0.6,
      reason: { model: 'content', seedProductId: 'x' },
    });
  });

  it('returns at most n and nothing without candidates', () => {
    expect(recommend({ popular: [], sameCategory: [], history: [] })).toEqual([]);
    expect(
      recommend({
        popular: [product('a', 1), product('b', 2)],
        sameCategory: [],
        history: [],
        n: 1,
      }),
    ).toHaveLength(1);
  });
});

describe(seedsOf.name, () => {
  it('takes recent, not purchased items with a known category, newest first', () => {
    const seeds = seedsOf(
      [
        seen('old', { category: 'c', lastAt: new Date('2026-01-01T00:00:00Z') }),
        seen('new', { category: 'c', lastAt: new Date('2026-01-03T00:00:00Z') }),
        seen('bought', {
          category: 'c',
          purchased: true,
          lastAt: new Date('2026-01-04T00:00:00Z'),
        }),
        seen('nocat', { lastAt: new Date('2026-01-05T00:00:00Z') }),
      ],
      3,
    );
    expect(seeds.map((s) => s.productId)).toEqual(['new', 'old']);
  });
});
