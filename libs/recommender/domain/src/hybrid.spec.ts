import { trainAlsSync } from './als';
import { HybridRecommender, buildCatalog, pickDiverse, type HistoryEntry } from './hybrid';
import {
  DAY_MS,
  DEFAULT_INTERACTION_WEIGHTS,
  buildInteractionMatrix,
  type InteractionEvent,
} from './interactions';
import { PopularityModel } from './popularity';
import { TfIdfModel } from './tfidf';

const ref = Date.UTC(2026, 2, 1);
const products = [
  { id: 'shoe-red', name: 'red running shoe', category: 'shoes', popularity: 9 },
  { id: 'shoe-blue', name: 'blue running shoe', category: 'shoes', popularity: 8 },
  { id: 'shoe-trail', name: 'trail running shoe', category: 'shoes', popularity: 1 },
  { id: 'hat-wool', name: 'wool hat', category: 'hats', popularity: 7 },
  { id: 'hat-sun', name: 'sun hat', category: 'hats', popularity: 6 },
  { id: 'lamp', name: 'desk lamp', category: 'home', popularity: 5, available: false },
  { id: 'mug', name: 'coffee mug', category: 'home', popularity: 4 },
];
const catalog = buildCatalog(products);
const popEvents: InteractionEvent[] = products.flatMap((p) =>
  Array.from({ length: p.popularity }, (_, n) => ({
    userId: `crowd${n}`,
    itemId: p.id,
    kind: 'view' as const,
    at: ref,
  })),
);
const popularity = PopularityModel.fit(popEvents, catalog.items, catalog.categories, {
  weights: DEFAULT_INTERACTION_WEIGHTS,
  halfLifeMs: 7 * DAY_MS,
  referenceTime: ref,
});
const content = TfIdfModel.fit(products);
const seen = (itemId: string, purchased = false): HistoryEntry => ({
  itemId,
  weight: 1,
  purchased,
});

describe(HybridRecommender.name, () => {
  const hybrid = new HybridRecommender(catalog, { content, popularity });

  it('answers a person without history from popularity, skipping unavailable items', () => {
    const recs = hybrid.recommend({ history: [] }, { n: 4 });
    expect(hybrid.tierOf([])).toBe('cold');
    expect(recs.map((r) => r.itemId)).toEqual(['shoe-red', 'shoe-blue', 'hat-wool', 'hat-sun']);
    expect(recs[0]).toEqual({ itemId: 'shoe-red', score: 1, reason: { model: 'popularity' } });
    expect(recs.every((r) => r.reason.model === 'popularity')).toBe(true);
  });

  it('blends content and popularity for a short history, naming the seed item', () => {
    const history = [seen('shoe-trail')];
    expect(hybrid.tierOf(history)).toBe('few');
    expect(hybrid.weightsFor(history)).toEqual({ content: 0.6, popularity: 0.4 });
    const recs = hybrid.recommend({ history }, { n: 3, excludeSeen: true });
    // The other running shoes are the most similar eligible items (content scaled to 1, weight
    // 0.6) and popular, so they lead, explained by the item the person looked at.
    expect(recs.map((r) => r.itemId)).toEqual(['shoe-red', 'shoe-blue', 'hat-wool']);
    expect(recs[0].reason).toEqual({ model: 'content', seedItemId: 'shoe-trail' });
    expect(recs[0].score).toBeCloseTo(1, 6); // 0.6 · 1 + 0.4 · 1
    expect(recs[2].reason).toEqual({ model: 'popularity' });
  });

  it('excludes purchased items unless configured not to', () => {
    const history = [seen('shoe-red', true)];
    expect(hybrid.recommend({ history }, { n: 10 }).map((r) => r.itemId)).not.toContain('shoe-red');
    expect(
      hybrid.recommend({ history }, { n: 10, excludePurchased: false }).map((r) => r.itemId),
    ).toContain('shoe-red');
    expect(
      hybrid
        .recommend({ history: [seen('mug')] }, { n: 10, excludeSeen: true })
        .map((r) => r.itemId),
    ).not.toContain('mug');
  });

  it('never recommends unavailable items or items of the last N emails', () => {
    const recentEmails = [['shoe-red'], ['hat-wool'], ['shoe-blue']];
    const ids = hybrid
      .recommend({ history: [], recentEmails }, { n: 10, recentEmailWindow: 2 })
      .map((r) => r.itemId);
    expect(ids).not.toContain('lamp');
    expect(ids).not.toContain('shoe-red');
    expect(ids).not.toContain('hat-wool');
    expect(ids).toContain('shoe-blue'); // third-newest email, outside the window of 2
  });

  it('keeps at most k items per category in the top N', () => {
    const recs = hybrid.recommend({ history: [] }, { n: 4, maxPerCategory: 1 });
    expect(recs.map((r) => r.itemId)).toEqual(['shoe-red', 'hat-wool', 'mug']);
    expect(pickDiverse([0, 1, 2, 3], ['x', 'x', 'y', 'x'], 3, 2)).toEqual([0, 1, 2]);
  });

  it('uses ALS (folded in) and content for a long history', () => {
    const people = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
    const train: InteractionEvent[] = people.flatMap((userId, n) =>
      (n % 2 === 0
        ? ['shoe-red', 'shoe-blue', 'shoe-trail', 'mug', 'hat-sun']
        : ['hat-wool', 'hat-sun', 'mug']
      ).map((itemId) => ({ userId, itemId, kind: 'view' as const, at: ref })),
    );
    const { matrix } = buildInteractionMatrix(
      train,
      { weights: DEFAULT_INTERACTION_WEIGHTS, halfLifeMs: Infinity, referenceTime: ref },
      { items: catalog.items, fixedItems: true },
    );
    const alsConfig = {
      factors: 2,
      regularization: 0.1,
      alpha: 2,
      iterations: 10,
      cgSteps: 2,
      seed: 3,
    };
    const { model } = trainAlsSync(matrix, alsConfig);
    const withAls = new HybridRecommender(catalog, {
      als: { model, config: alsConfig },
      content,
      popularity,
    });
    const history = ['shoe-red', 'shoe-trail', 'mug', 'hat-sun', 'hat-wool'].map((id) => seen(id));
    expect(withAls.tierOf(history)).toBe('many');
    expect(withAls.weightsFor(history)).toEqual({ als: 0.8, content: 0.2 });
    const recs = withAls.recommend({ history }, { n: 2, excludeSeen: true });
    expect(recs.map((r) => r.itemId)).toEqual(['shoe-blue']); // the only unseen available item with signal
    expect(['als', 'content']).toContain(recs[0].reason.model);
    expect(recs[0].score).toBeGreaterThan(0);
    expect(recs[0].score).toBeLessThanOrEqual(1);
  });
});
