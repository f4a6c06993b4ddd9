import { trainAls, userVector, type AlsConfig } from './als';
import { HybridRecommender, type Catalog, type HistoryEntry, type ModelName } from './hybrid';
import {
  buildInteractionMatrix,
  type InteractionEvent,
  type InteractionKind,
} from './interactions';
import { averagePrecisionAtK, catalogCoverage, ndcgAtK, precisionAtK, recallAtK } from './metrics';
import { PopularityModel } from './popularity';
import { Prng } from './prng';
import { TfIdfModel, type ItemText } from './tfidf';

/** Training events, and per person the items to find in the test period. */
export interface HoldoutSplit {
  name: string;
  train: InteractionEvent[];
  /** userId → items engaged with in the test part and not in the train part. */
  test: Map<string, Set<string>>;
  /** "Now" for decay when training (the cut-off, or just after the last event). */
  referenceTime: number;
}

/**
 * Time-based holdout: train on events before `cutoff`, test on the items each person engaged
 * with at or after it that they had not touched before (discovery). People without any training
 * event are left out of the test (no model can personalise for them; popularity is their answer).
 */
export function timeHoldout(events: readonly InteractionEvent[], cutoff: number): HoldoutSplit {
  const train = events.filter((e) => e.at < cutoff);
  const seen = new Map<string, Set<string>>();
  for (const e of train) getOrCreate(seen, e.userId).add(e.itemId);
  const test = new Map<string, Set<string>>();
  for (const e of events) {
    if (e.at < cutoff) continue;
    const before = seen.get(e.userId);
    if (!before || before.has(e.itemId)) continue;
    getOrCreate(test, e.userId).add(e.itemId);
  }
  return { name: 'time', train, test, referenceTime: cutoff };
}

/**
 * Random per-user holdout (seeded): of each person with at least `minItems` distinct items,
 * round(testFraction · n) items (at least 1) are held out with all their events.
 */
export function randomUserHoldout(
  events: readonly InteractionEvent[],
  options: { testFraction: number; seed: number; minItems?: number },
): HoldoutSplit {
  const prng = new Prng(options.seed);
  const minItems = options.minItems ?? 2;
  const itemsByUser = new Map<string, Set<string>>();
  let last = -Infinity;
  for (const e of events) {
    getOrCreate(itemsByUser, e.userId).add(e.itemId);
    last = Math.max(last, e.at);
  }
  const test = new Map<string, Set<string>>();
  // Sorted users and items: the split depends on the seed only, not on event order.
  for (const user of [...itemsByUser.keys()].sort()) {
    const items = [...(itemsByUser.get(user) ?? [])].sort();
    if (items.length < minItems) continue;
    const held = Math.max(1, Math.round(options.testFraction * items.length));
    test.set(user, new Set(prng.shuffle(items).slice(0, held)));
  }
  const train = events.filter((e) => !test.get(e.userId)?.has(e.itemId));
  return { name: 'random', train, test, referenceTime: last + 1 };
}

export interface EvaluationConfig {
  k: number;
  als: AlsConfig;
  threads: number;
  weights: Readonly<Record<InteractionKind, number>>;
  /** Half-life of interactions in the ALS/content matrix. */
  interactionHalfLifeMs: number;
  /** Half-life of the trending (popularity) scores. */
  trendingHalfLifeMs: number;
  /** Also evaluate the hybrid with this per-category cap, as "hybrid-diverse". */
  diversityCap?: number;
}

export interface ModelMetrics {
  precision: number;
  recall: number;
  map: number;
  ndcg: number;
  coverage: number;
}

export interface EvaluationResult {
  split: string;
  k: number;
  users: number;
  catalogSize: number;
  trainEvents: number;
  trainNnz: number;
  models: Record<string, ModelMetrics>;
  trainingMs: { als: number; content: number; popularity: number };
  alsThreads: number;
}

/**
 * Trains all models on the split's training events and scores every test person's top k from
 * each. All models get the same filters: unavailable items and everything the person already
 * engaged with in training are excluded, so each model is judged on discovery.
 */
export async function evaluateSplit(
  split: HoldoutSplit,
  catalog: Catalog,
  texts: readonly ItemText[],
  config: EvaluationConfig,
): Promise<EvaluationResult> {
  const weighting = {
    weights: config.weights,
    halfLifeMs: config.interactionHalfLifeMs,
    referenceTime: split.referenceTime,
  };
  const { matrix, purchased, users } = buildInteractionMatrix(split.train, weighting, {
    items: catalog.items,
    fixedItems: true,
  });

  let t0 = performance.now();
  const als = await trainAls(matrix, config.als, { threads: config.threads });
  const alsMs = performance.now() - t0;
  t0 = performance.now();
  const content = TfIdfModel.fit(texts);
  const contentMs = performance.now() - t0;
  t0 = performance.now();
  const popularity = PopularityModel.fit(split.train, catalog.items, catalog.categories, {
    ...weighting,
    halfLifeMs: config.trendingHalfLifeMs,
  });
  const popularityMs = performance.now() - t0;

  const hybrid = new HybridRecommender(catalog, {
    als: { model: als.model, config: config.als },
    content,
    popularity,
  });

  const variants: {
    name: string;
    run: (request: Parameters<HybridRecommender['recommend']>[0]) => string[];
  }[] = [];
  const base = { n: config.k, excludeSeen: true };
  for (const model of ['als', 'content', 'popularity'] as ModelName[]) {
    variants.push({
      name: model,
      run: (r) => hybrid.recommendWith(model, r, base).map((x) => x.itemId),
    });
  }
  variants.push({ name: 'hybrid', run: (r) => hybrid.recommend(r, base).map((x) => x.itemId) });
  if (config.diversityCap !== undefined) {
    const capped = { ...base, maxPerCategory: config.diversityCap };
    variants.push({
      name: 'hybrid-diverse',
      run: (r) => hybrid.recommend(r, capped).map((x) => x.itemId),
    });
  }

  const sums = variants.map(() => ({ precision: 0, recall: 0, map: 0, ndcg: 0 }));
  const lists = variants.map(() => [] as string[][]);
  let evaluated = 0;
  for (const [userId, relevant] of split.test) {
    const u = users.indexOf(userId);
    if (u < 0 || relevant.size === 0) continue;
    const request = {
      history: historyOf(u, matrix, purchased, catalog),
      alsUserVector: userVector(als.model, u),
    };
    evaluated++;
    variants.forEach((variant, v) => {
      const recs = variant.run(request);
      lists[v].push(recs);
      const s = sums[v];
      s.precision += precisionAtK(recs, relevant, config.k);
      s.recall += recallAtK(recs, relevant, config.k);
      s.map += averagePrecisionAtK(recs, relevant, config.k);
      s.ndcg += ndcgAtK(recs, relevant, config.k);
    });
  }
  const models: Record<string, ModelMetrics> = {};
  variants.forEach((variant, v) => {
    const s = sums[v];
    const mean = (x: number) => (evaluated === 0 ? 0 : x / evaluated);
    models[variant.name] = {
      precision: mean(s.precision),
      recall: mean(s.recall),
      map: mean(s.map),
      ndcg: mean(s.ndcg),
      coverage: catalogCoverage(lists[v], catalog.items.size),
    };
  });
  return {
    split: split.name,
    k: config.k,
    users: evaluated,
    catalogSize: catalog.items.size,
    trainEvents: split.train.length,
    trainNnz: matrix.nnz,
    models,
    trainingMs: { als: alsMs, content: contentMs, popularity: popularityMs },
    alsThreads: als.threadsUsed,
  };
}

function historyOf(
  u: number,
  matrix: ReturnType<typeof buildInteractionMatrix>['matrix'],
  purchased: ReturnType<typeof buildInteractionMatrix>['purchased'],
  catalog: Catalog,
): HistoryEntry[] {
  const idx = matrix.rowIndices(u);
  const val = matrix.rowValues(u);
  const history: HistoryEntry[] = [];
  for (let j = 0; j < idx.length; j++) {
    history.push({
      itemId: catalog.items.idAt(idx[j]),
      weight: val[j],
      purchased: purchased.get(u, idx[j]) > 0,
    });
  }
  return history;
}

function getOrCreate<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let set = map.get(key);
  if (!set) {
    set = new Set<V>();
    map.set(key, set);
  }
  return set;
}
