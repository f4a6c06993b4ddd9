import { DEFAULT_ALS_CONFIG } from './als';
import { randomUserHoldout, timeHoldout, evaluateSplit } from './evaluation';
import { buildCatalog } from './hybrid';
import { DAY_MS, DEFAULT_INTERACTION_WEIGHTS, type InteractionEvent } from './interactions';
import { renderHtmlReport } from './report';

const t = (day: number) => Date.UTC(2026, 0, 1) + day * DAY_MS;
const ev = (userId: string, itemId: string, day: number): InteractionEvent => ({
  userId,
  itemId,
  kind: 'view',
  at: t(day),
});

describe(timeHoldout.name, () => {
  it('trains before the cut-off and tests on new items after it, for known people only', () => {
    const split = timeHoldout(
      [ev('u1', 'a', 1), ev('u1', 'b', 5), ev('u1', 'a', 6), ev('u2', 'c', 7), ev('u1', 'c', 8)],
      t(5),
    );
    expect(split.train).toHaveLength(1);
    expect(split.referenceTime).toBe(t(5));
    expect([...split.test.entries()]).toEqual([['u1', new Set(['b', 'c'])]]);
  });
});

describe(randomUserHoldout.name, () => {
  const events = ['u1', 'u2', 'u3'].flatMap((u) =>
    ['a', 'b', 'c', 'd', 'e'].map((i, d) => ev(u, i, d)),
  );
  events.push(ev('u4', 'a', 1));

  it('holds out a seeded share of each person’s items with all their events', () => {
    const split = randomUserHoldout(events, { testFraction: 0.4, seed: 5 });
    expect(split.test.size).toBe(3); // u4 has fewer than minItems (2)
    for (const [user, items] of split.test) {
      expect(items.size).toBe(2);
      expect(split.train.some((e) => e.userId === user && items.has(e.itemId))).toBe(false);
    }
    expect(split.train).toHaveLength(events.length - 6);
    const again = randomUserHoldout([...events].reverse(), { testFraction: 0.4, seed: 5 });
    expect([...again.test.entries()].sort()).toEqual([...split.test.entries()].sort());
  });
});

describe(evaluateSplit.name, () => {
  it('scores the four models on a split and renders the report', async () => {
    const items = ['a', 'b', 'c', 'd', 'e', 'f'].map((id, n) => ({
      id,
      name: `item ${id}`,
      category: n < 3 ? 'x' : 'y',
    }));
    const events = ['u1', 'u2', 'u3', 'u4'].flatMap((u, n) =>
      (n % 2 ? ['a', 'b', 'c'] : ['d', 'e', 'f']).map((i, d) => ev(u, i, d + n)),
    );
    const split = randomUserHoldout(events, { testFraction: 0.34, seed: 1 });
    const result = await evaluateSplit(split, buildCatalog(items), items, {
      k: 2,
      als: { ...DEFAULT_ALS_CONFIG, factors: 2, iterations: 3 },
      threads: 1,
      weights: DEFAULT_INTERACTION_WEIGHTS,
      interactionHalfLifeMs: 30 * DAY_MS,
      trendingHalfLifeMs: 7 * DAY_MS,
    });
    expect(Object.keys(result.models)).toEqual(['als', 'content', 'popularity', 'hybrid']);
    expect(result.users).toBe(4);
    for (const m of Object.values(result.models)) {
      for (const v of Object.values(m)) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
    const html = renderHtmlReport([result], 'Test <report>');
    expect(html).toContain('<svg');
    expect(html.match(/<svg/g)).toHaveLength(5);
    expect(html).toContain('Test &#60;report&#62;');
    expect(html).not.toContain('<script');
  });
});
