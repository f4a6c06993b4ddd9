import { foldInUser, scoreAllItems, type AlsConfig, type AlsModel } from './als';
import { IndexMap } from './index-map';
import { gramMatrix } from './linalg';
import type { PopularityModel } from './popularity';
import { sparseDot, type TfIdfModel } from './tfidf';
import { topK } from './top-k';

/** The recommendable catalogue; every model indexes items the same way (catalogue order). */
export interface Catalog {
  items: IndexMap;
  /** By item index; '' when unknown (then '' is a category of its own for diversity). */
  categories: readonly string[];
  available: readonly boolean[];
}

export function buildCatalog(
  items: readonly { id: string; category?: string; available?: boolean }[],
): Catalog {
  const index = new IndexMap();
  const categories: string[] = [];
  const available: boolean[] = [];
  for (const item of items) {
    if (index.has(item.id)) continue;
    index.getOrAdd(item.id);
    categories.push(item.category ?? '');
    available.push(item.available ?? true);
  }
  return { items: index, categories, available };
}

export type ModelName = 'als' | 'content' | 'popularity';

export interface RecommendationReason {
  model: ModelName;
  /** For content: the engaged item the recommendation is most similar to. */
  seedItemId?: string;
}

export interface ScoredRecommendation {
  itemId: string;
  /** Blended score in [0, 1]; the list is sorted by it, best first. */
  score: number;
  reason: RecommendationReason;
}

export interface HistoryEntry {
  itemId: string;
  /** Decayed interaction strength (r_ui); > 0. */
  weight: number;
  purchased: boolean;
}

/**
 * The blending rule, by the number h of distinct items the person engaged with:
 *   h = 0              popularity only (nothing personal is known);
 *   1 ≤ h ≤ fewMax     few.content · content + few.popularity · popularity
 *                      (too little history for collaborative factors to be reliable);
 *   h > fewMax         many.als · ALS + many.content · content
 *                      (falls back to the "few" blend when there is no ALS model).
 * Each model's scores are first scaled to [0, 1] by their maximum over the eligible items
 * (negative scores count as 0), so the weights are shares of comparable numbers.
 */
export interface HybridPolicy {
  fewMax: number;
  few: { content: number; popularity: number };
  many: { als: number; content: number };
}

export const DEFAULT_HYBRID_POLICY: Readonly<HybridPolicy> = {
  fewMax: 4,
  few: { content: 0.6, popularity: 0.4 },
  many: { als: 0.8, content: 0.2 },
};

export interface RecommendOptions {
  n: number;
  /** Never recommend what the person bought (default true). */
  excludePurchased?: boolean;
  /** Exclude every item in the history (offline evaluation measures discovery). Default false. */
  excludeSeen?: boolean;
  /** Items of this many most recent emails are not recommended again (default 3). */
  recentEmailWindow?: number;
  /** At most this many items of one category in the result (default Infinity = no rule). */
  maxPerCategory?: number;
}

export interface RecommendRequest {
  history: readonly HistoryEntry[];
  /** The trained ALS vector when the person was in the training data; else it is folded in. */
  alsUserVector?: Float32Array;
  /** Item ids of the person's last emails, newest first. */
  recentEmails?: readonly (readonly string[])[];
}

export type Tier = 'cold' | 'few' | 'many';

export interface HybridModels {
  als?: { model: AlsModel; config: Pick<AlsConfig, 'alpha' | 'regularization'> };
  content?: TfIdfModel;
  popularity: PopularityModel;
}

export class HybridRecommender {
  private readonly popularityScores: Float32Array;
  private alsGram: Float64Array | undefined;

  constructor(
    readonly catalog: Catalog,
    private readonly models: HybridModels,
    readonly policy: HybridPolicy = DEFAULT_HYBRID_POLICY,
  ) {
    this.popularityScores = Float32Array.from(models.popularity.scores);
  }

  tierOf(history: readonly HistoryEntry[]): Tier {
    const h = distinctEngaged(history).size;
    if (h === 0) return 'cold';
    return h <= this.policy.fewMax ? 'few' : 'many';
  }

  /** The blend weights the policy gives this history. */
  weightsFor(history: readonly HistoryEntry[]): Partial<Record<ModelName, number>> {
    const tier = this.tierOf(history);
    if (tier === 'cold') return { popularity: 1 };
    const few = this.models.content
      ? { content: this.policy.few.content, popularity: this.policy.few.popularity }
      : { popularity: 1 };
    if (tier === 'few' || !this.models.als) return few;
    return this.models.content
      ? { als: this.policy.many.als, content: this.policy.many.content }
      : { als: 1 };
  }

  /** The hybrid recommendation (blend by {@link HybridPolicy}) with all filters applied. */
  recommend(request: RecommendRequest, options: RecommendOptions): ScoredRecommendation[] {
    return this.rank(this.weightsFor(request.history), request, options);
  }

  /** One model alone, with the same filters (for evaluation and explanation). */
  recommendWith(
    model: ModelName,
    request: RecommendRequest,
    options: RecommendOptions,
  ): ScoredRecommendation[] {
    return this.rank({ [model]: 1 }, request, options);
  }

  private rank(
    weights: Partial<Record<ModelName, number>>,
    request: RecommendRequest,
    options: RecommendOptions,
  ): ScoredRecommendation[] {
    const nItems = this.catalog.items.size;
    const eligible = this.eligibility(request, options);
    const parts: { model: ModelName; weight: number; scores: Float32Array }[] = [];
    for (const model of ['als', 'content', 'popularity'] as const) {
      const weight = weights[model] ?? 0;
      if (weight <= 0) continue;
      const scores = this.modelScores(model, request);
      if (scores) parts.push({ model, weight, scores: scaled(scores, eligible) });
    }
    const blended = new Float32Array(nItems);
    for (const part of parts)
      for (let i = 0; i < nItems; i++) blended[i] += part.weight * part.scores[i];

    const cap = options.maxPerCategory ?? Infinity;
    const keep = (i: number) => eligible[i] === 1 && blended[i] > 0;
    // With a per-category cap, look deeper than n so the cap can skip items and still fill n.
    const depth = Number.isFinite(cap) ? Math.max(options.n * 8, 100) : options.n;
    let ranked = topK(blended, depth, keep);
    let picked = pickDiverse(ranked, this.catalog.categories, options.n, cap);
    if (picked.length < options.n && ranked.length === depth) {
      ranked = topK(blended, nItems, keep);
      picked = pickDiverse(ranked, this.catalog.categories, options.n, cap);
    }
    return picked.map((i) => ({
      itemId: this.catalog.items.idAt(i),
      score: blended[i],
      reason: this.reasonFor(i, parts, request.history),
    }));
  }

  private eligibility(request: RecommendRequest, options: RecommendOptions): Uint8Array {
    const { items, available } = this.catalog;
    const eligible = new Uint8Array(items.size);
    for (let i = 0; i < eligible.length; i++) eligible[i] = available[i] ? 1 : 0;
    const drop = (id: string) => {
      const i = items.indexOf(id);
      if (i >= 0) eligible[i] = 0;
    };
    for (const entry of request.history) {
      if (options.excludeSeen || (entry.purchased && (options.excludePurchased ?? true)))
        drop(entry.itemId);
    }
    const window = options.recentEmailWindow ?? 3;
    for (const email of (request.recentEmails ?? []).slice(0, window))
      for (const id of email) drop(id);
    return eligible;
  }

  private modelScores(model: ModelName, request: RecommendRequest): Float32Array | undefined {
    if (model === 'popularity') return this.popularityScores;
    const engaged = [...distinctEngaged(request.history)]
      .map(([id, weight]) => ({ itemIndex: this.catalog.items.indexOf(id), weight }))
      .filter((e) => e.itemIndex >= 0);
    if (model === 'content') {
      if (!this.models.content || engaged.length === 0) return undefined;
      return this.models.content.scoreAll(this.models.content.profile(engaged));
    }
    const als = this.models.als;
    if (!als) return undefined;
    let vector = request.alsUserVector;
    if (!vector) {
      if (engaged.length === 0) return undefined;
      this.alsGram ??= gramMatrix(
        als.model.itemFactors,
        als.model.nItems,
        als.model.factors,
        als.config.regularization,
      );
      vector = foldInUser(
        als.model,
        { itemIndices: engaged.map((e) => e.itemIndex), values: engaged.map((e) => e.weight) },
        als.config,
        this.alsGram,
      );
    }
    return scoreAllItems(als.model, vector);
  }

  private reasonFor(
    i: number,
    parts: readonly { model: ModelName; weight: number; scores: Float32Array }[],
    history: readonly HistoryEntry[],
  ): RecommendationReason {
    let best: ModelName = 'popularity';
    let bestContribution = -1;
    for (const part of parts) {
      const contribution = part.weight * part.scores[i];
      if (contribution > bestContribution) {
        best = part.model;
        bestContribution = contribution;
      }
    }
    const content = this.models.content;
    if (best !== 'content' || !content) return { model: best };
    const candidate = content.itemVector(i);
    let seed: string | undefined;
    let seedSimilarity = 0;
    for (const id of distinctEngaged(history).keys()) {
      const j = this.catalog.items.indexOf(id);
      if (j < 0) continue;
      const similarity = sparseDot(content.itemVector(j), candidate);
      if (similarity > seedSimilarity) {
        seed = id;
        seedSimilarity = similarity;
      }
    }
    return seed === undefined ? { model: 'content' } : { model: 'content', seedItemId: seed };
  }
}

/** Distinct engaged items with their summed weights (entries with weight ≤ 0 ignored). */
function distinctEngaged(history: readonly HistoryEntry[]): Map<string, number> {
  const engaged = new Map<string, number>();
  for (const entry of history) {
    if (entry.weight > 0)
      engaged.set(entry.itemId, (engaged.get(entry.itemId) ?? 0) + entry.weight);
  }
  return engaged;
}

/** scores / max over eligible items, negatives and ineligible items → 0. */
function scaled(scores: Float32Array, eligible: Uint8Array): Float32Array {
  let max = 0;
  for (let i = 0; i < scores.length; i++) if (eligible[i] && scores[i] > max) max = scores[i];
  const out = new Float32Array(scores.length);
  if (max <= 0) return out;
  for (let i = 0; i < scores.length; i++)
    out[i] = eligible[i] && scores[i] > 0 ? scores[i] / max : 0;
  return out;
}

/** The first n of `ranked` such that no category appears more than `cap` times. */
export function pickDiverse(
  ranked: readonly number[],
  categories: readonly string[],
  n: number,
  cap: number,
): number[] {
  const counts = new Map<string, number>();
  const picked: number[] = [];
  for (const i of ranked) {
    if (picked.length >= n) break;
    const category = categories[i] ?? '';
    const count = counts.get(category) ?? 0;
    if (count >= cap) continue;
    counts.set(category, count + 1);
    picked.push(i);
  }
  return picked;
}
