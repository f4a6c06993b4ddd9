/** A product that could be recommended, with its popularity (sum of all interaction weights). */
export interface CandidateProduct {
  productId: string;
  name: string;
  price: number | null;
  /** '' when the catalog does not say. */
  category: string;
  available: boolean;
  popularity: number;
}

/** One product the person interacted with. */
export interface HistoryItem {
  productId: string;
  weight: number;
  lastAt: Date;
  purchased: boolean;
  /** Category from the catalog; '' or null when unknown. */
  category: string | null;
  /** Name from the catalog, for "because you viewed …"; null/absent when unknown. */
  name?: string | null;
}

/**
 * Why an item is recommended: `popularity`, or a personal model (`content`: similar text to
 * something the person engaged with; `als`: people with similar behaviour engaged with it) with
 * the engaged product it is most similar to (`seedProductId`, and its name when known, so an
 * email can say "because you viewed …").
 */
export type RecommendationReason =
  { model: 'popularity' } | { model: 'content' | 'als'; seedProductId?: string; seedName?: string };

/** One entry of the JSON array in `HotKeys.recommendations(profileId)`. */
export interface Recommendation {
  productId: string;
  name: string;
  price: number | null;
  /** In [0, 1]; the list is sorted by it, best first. */
  score: number;
  reason: RecommendationReason;
}

export const RecommendationSettings = {
  /** How many recommendations are kept per profile. */
  topN: 3,
  /** How many recent viewed/added products seed "because you looked at X" items. */
  maxSeeds: 3,
  /**
   * A same-category item of something the person looked at scores at least this much, so a
   * personal suggestion beats all but the most popular items; popularity orders within it.
   */
  contentFloor: 0.5,
} as const;

export interface RecommendInput {
  /** The most popular products (any order; at least the top N). */
  popular: readonly CandidateProduct[];
  /** Products in the seeds' categories (see {@link seedsOf}). */
  sameCategory: readonly CandidateProduct[];
  history: readonly HistoryItem[];
  n?: number;
}

/**
 * The seeds of content-based items: the person's most recent viewed/added (not purchased)
 * products whose category is known, newest first.
 */
export function seedsOf(
  history: readonly HistoryItem[],
  maxSeeds: number = RecommendationSettings.maxSeeds,
): HistoryItem[] {
  return history
    .filter((item) => !item.purchased && item.category)
    .sort(
      (a, b) =>
        b.lastAt.getTime() - a.lastAt.getTime() ||
        b.weight - a.weight ||
        a.productId.localeCompare(b.productId),
    )
    .slice(0, maxSeeds);
}

/**
 * Blend popularity and content-based (same category as a recent seed) candidates into the top
 * N (pure). Scores are normalized by the highest popularity among the candidates:
 *   popularity item: popularity / max                    in (0, 1]
 *   content item:    floor + (1 - floor) · popularity / max   in [floor, 1]
 * A product appearing in both keeps its higher score and that score's reason. Never recommended:
 * unavailable products, products the person purchased, items with no popularity (popularity
 * list only) and a seed as its own content item. Ties break by product id, so the result is
 * deterministic.
 */
export function recommend(input: RecommendInput): Recommendation[] {
  const n = input.n ?? RecommendationSettings.topN;
  const purchased = new Set(input.history.filter((h) => h.purchased).map((h) => h.productId));
  const eligible = (p: CandidateProduct) => p.available && !purchased.has(p.productId);
  const max = Math.max(
    0,
    ...input.popular.map((p) => p.popularity),
    ...input.sameCategory.map((p) => p.popularity),
  );
  const normalized = (p: CandidateProduct) => (max > 0 ? p.popularity / max : 0);

  const best = new Map<string, Recommendation>();
  const offer = (rec: Recommendation) => {
    const seen = best.get(rec.productId);
    if (!seen || rec.score > seen.score) best.set(rec.productId, rec);
  };

  for (const product of input.popular) {
    if (!eligible(product) || product.popularity <= 0) continue;
    offer({
      ...display(product),
      score: round(normalized(product)),
      reason: { model: 'popularity' },
    });
  }
  const floor = RecommendationSettings.contentFloor;
  for (const seed of seedsOf(input.history)) {
    for (const product of input.sameCategory) {
      if (
        !eligible(product) ||
        product.category !== seed.category ||
        product.productId === seed.productId
      )
        continue;
      offer({
        ...display(product),
        score: round(floor + (1 - floor) * normalized(product)),
        reason: seed.name
          ? { model: 'content', seedProductId: seed.productId, seedName: seed.name }
          : { model: 'content', seedProductId: seed.productId },
      });
    }
  }
  return [...best.values()]
    .sort((a, b) => b.score - a.score || a.productId.localeCompare(b.productId))
    .slice(0, n);
}

function display(product: CandidateProduct): Pick<Recommendation, 'productId' | 'name' | 'price'> {
  return { productId: product.productId, name: product.name, price: product.price };
}

function round(score: number): number {
  return Math.round(score * 10_000) / 10_000;
}
