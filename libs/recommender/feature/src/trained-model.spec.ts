import { DAY_MS, DEFAULT_ALS_CONFIG } from '@kairos/recommender/domain';
import { InteractionLog } from './interaction-log';
import { bytesToFloat32, float32ToBytes } from './model-run.repository';
import {
  TrainedModel,
  alsSeedIndex,
  historyFromEvents,
  restoreModel,
  trainModels,
  type CatalogRow,
  type ModelParameters,
} from './trained-model';

const NOW = Date.UTC(2026, 5, 1);

const parameters: ModelParameters = {
  als: { ...DEFAULT_ALS_CONFIG, factors: 4, iterations: 4, regularization: 0.1 },
  alsThreads: 1,
  alsMinNnzForThreads: 50_000,
  interactionHalfLifeMs: 30 * DAY_MS,
  trendingHalfLifeMs: 7 * DAY_MS,
};

const row = (productId: string, category: string, name = `${category} ${productId}`) =>
  ({
    productId,
    name,
    description: `${category} things`,
    category,
    brand: 'Acme',
    price: 10,
    available: true,
  }) satisfies CatalogRow;

/** Six tea and six coffee products; tea people touch teas, coffee people coffees. */
function shop() {
  const catalog = [
    ...['t1', 't2', 't3', 't4', 't5', 't6'].map((id) => row(id, 'tea')),
    ...['c1', 'c2', 'c3', 'c4', 'c5', 'c6'].map((id) => row(id, 'coffee')),
  ];
  const log = new InteractionLog();
  for (let p = 0; p < 12; p++) {
    const prefix = p % 2 === 0 ? 't' : 'c';
    for (let j = 0; j < 5; j++) {
      log.add(
        `p${p}`,
        `${prefix}${((p + j) % 6) + 1}`,
        j === 0 ? 'purchase' : 'view',
        NOW - j * DAY_MS,
      );
    }
  }
  return { catalog, log };
}

describe(historyFromEvents.name, () => {
  it('sums decayed weights per product and flags purchases', () => {
    const history = historyFromEvents(
      [
        { productId: 'a', kind: 'view', at: NOW },
        { productId: 'a', kind: 'cart', at: NOW - 30 * DAY_MS },
        { productId: 'b', kind: 'purchase', at: NOW },
        { productId: 'c', kind: 'view', at: NOW + DAY_MS },
      ],
      { halfLifeMs: 30 * DAY_MS, referenceTime: NOW },
    );
    expect(history).toEqual([
      { itemId: 'a', weight: 1 + 3 / 2, purchased: false },
      { itemId: 'b', weight: 5, purchased: true },
      // After the reference time: not happened yet, weight 0 (the hybrid ignores it).
      { itemId: 'c', weight: 0, purchased: false },
    ]);
  });
});

describe(alsSeedIndex.name, () => {
  it('picks the engaged item whose factors point the same way', () => {
    const model = {
      factors: 2,
      nUsers: 0,
      nItems: 3,
      userFactors: new Float32Array(0),
      itemFactors: Float32Array.from([1, 0, 0.9, 0.1, 0, 1]),
    };
    expect(alsSeedIndex(model, 0, [1, 2])).toBe(1);
    expect(alsSeedIndex(model, 2, [0])).toBe(-1);
  });
});

describe(TrainedModel.name, () => {
  it('trains, recommends within taste, never what was bought, and explains with a named seed', async () => {
    const { catalog, log } = shop();
    const trained = await trainModels({
      runId: 'run-1',
      referenceTime: NOW,
      catalog,
      events: log,
      parameters,
    });
    expect(trained.stats).toMatchObject({ users: 12, items: 12, events: 60 });
    const u = trained.users.indexOf('p0');
    const recs = trained.model.recommendTrained(trained, u, 3);
    expect(recs).toHaveLength(3);
    expect(recs.every((r) => r.productId.startsWith('t'))).toBe(true);
    expect(recs.map((r) => r.productId)).not.toContain('t1'); // p0 bought t1
    const personal = recs.find((r) => r.reason.model !== 'popularity');
    const reason = personal?.reason as { seedProductId?: string; seedName?: string } | undefined;
    expect(reason?.seedProductId).toMatch(/^t\d$/);
    // The seed's name comes from the catalogue row of the seed product.
    expect(reason?.seedName).toBe(`tea ${reason?.seedProductId}`);
  });

  it('folds a new purchase in and drops the purchased item', async () => {
    const { catalog, log } = shop();
    const { model } = await trainModels({
      runId: 'r',
      referenceTime: NOW,
      catalog,
      events: log,
      parameters,
    });
    const events = [
      { productId: 't2', kind: 'view' as const, at: NOW },
      { productId: 't3', kind: 'view' as const, at: NOW },
      { productId: 't4', kind: 'view' as const, at: NOW },
      { productId: 't5', kind: 'cart' as const, at: NOW },
      { productId: 't6', kind: 'view' as const, at: NOW },
    ];
    const weighting = { halfLifeMs: parameters.interactionHalfLifeMs, referenceTime: NOW };
    const before = model.recommend(historyFromEvents(events, weighting), 3);
    const top = before[0].productId;
    const after = model.recommend(
      historyFromEvents([...events, { productId: top, kind: 'purchase', at: NOW }], weighting),
      3,
    );
    expect(after.map((r) => r.productId)).not.toContain(top);
  });

  it('restores from stored factors to the same recommendations', async () => {
    const { catalog, log } = shop();
    const { model } = await trainModels({
      runId: 'r',
      referenceTime: NOW,
      catalog,
      events: log,
      parameters,
    });
    const restored = restoreModel({
      runId: 'r',
      referenceTime: NOW,
      itemIds: model.catalog.items.ids(),
      itemFactors: bytesToFloat32(float32ToBytes(model.als.itemFactors)),
      parameters,
      catalogNow: catalog,
      events: log,
    });
    const history = [
      { itemId: 'c1', weight: 3, purchased: false },
      { itemId: 'c2', weight: 1, purchased: false },
      { itemId: 'c3', weight: 1, purchased: false },
      { itemId: 'c4', weight: 1, purchased: false },
      { itemId: 'c5', weight: 5, purchased: true },
    ];
    expect(restored.recommend(history, 4)).toEqual(model.recommend(history, 4));
  });

  it('stops recommending a product the catalogue withdrew after training', async () => {
    const { catalog, log } = shop();
    const { model } = await trainModels({
      runId: 'r',
      referenceTime: NOW,
      catalog,
      events: log,
      parameters,
    });
    const first = model.recommend([], 1)[0].productId;
    model.markUnavailable(first);
    expect(model.recommend([], 5).map((r) => r.productId)).not.toContain(first);
    expect(model.updateProduct({ ...row(first, 'tea', 'Renamed'), available: true })).toBe(true);
    expect(model.recommend([], 1)[0]).toMatchObject({ productId: first, name: 'Renamed' });
  });
});
