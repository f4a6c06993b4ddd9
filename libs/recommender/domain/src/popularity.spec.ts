import { IndexMap } from './index-map';
import { DAY_MS, DEFAULT_INTERACTION_WEIGHTS, type InteractionEvent } from './interactions';
import { PopularityModel } from './popularity';

describe(PopularityModel.name, () => {
  const ref = Date.UTC(2026, 2, 1);
  const items = new IndexMap(['a', 'b', 'c', 'd']);
  const categories = ['shoes', 'shoes', 'hats', 'hats'];
  const at = (daysAgo: number) => ref - daysAgo * DAY_MS;
  const events: InteractionEvent[] = [
    { userId: 'u1', itemId: 'a', kind: 'view', at: at(0) }, // 1
    { userId: 'u2', itemId: 'b', kind: 'purchase', at: at(14) }, // 5 · 0.25 = 1.25
    { userId: 'u3', itemId: 'c', kind: 'view', at: at(7) }, // 0.5
    { userId: 'u3', itemId: 'c', kind: 'add_to_cart', at: at(21) }, // 3 · 0.125 = 0.375
    { userId: 'u4', itemId: 'zzz', kind: 'purchase', at: at(0) }, // not in the catalogue
  ];

  it('decays each event by its age (half-life 7 days)', () => {
    const model = PopularityModel.fit(events, items, categories, {
      weights: DEFAULT_INTERACTION_WEIGHTS,
      halfLifeMs: 7 * DAY_MS,
      referenceTime: ref,
    });
    expect(Array.from(model.scores)).toEqual([1, 1.25, 0.875, 0]);
    expect(model.top(10)).toEqual([
      { itemIndex: 1, score: 1.25 },
      { itemIndex: 0, score: 1 },
      { itemIndex: 2, score: 0.875 },
    ]);
    expect(model.top(5, { category: 'hats' })).toEqual([{ itemIndex: 2, score: 0.875 }]);
    expect(model.top(5, { exclude: (i) => i === 1 }).map((r) => r.itemIndex)).toEqual([0, 2]);
    expect([...model.topByCategory(1).entries()]).toEqual([
      ['shoes', [{ itemIndex: 1, score: 1.25 }]],
      ['hats', [{ itemIndex: 2, score: 0.875 }]],
    ]);
  });

  it('ranks what is trending now above what was popular long ago', () => {
    const trend: InteractionEvent[] = [
      ...Array.from({ length: 10 }, (_, n) => ({
        userId: `old${n}`,
        itemId: 'a',
        kind: 'view' as const,
        at: at(60),
      })),
      ...Array.from({ length: 3 }, (_, n) => ({
        userId: `new${n}`,
        itemId: 'b',
        kind: 'view' as const,
        at: at(1),
      })),
    ];
    const weighting = { weights: DEFAULT_INTERACTION_WEIGHTS, referenceTime: ref };
    const trending = PopularityModel.fit(trend, items, categories, {
      ...weighting,
      halfLifeMs: 7 * DAY_MS,
    });
    const allTime = PopularityModel.fit(trend, items, categories, {
      ...weighting,
      halfLifeMs: Infinity,
    });
    expect(trending.top(1)[0].itemIndex).toBe(1);
    expect(allTime.top(1)[0].itemIndex).toBe(0);
  });
});
