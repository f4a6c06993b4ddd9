import {
  HybridRecommender,
  IndexMap,
  PopularityModel,
  TfIdfModel,
  buildInteractionMatrix,
  dot,
  eventWeight,
  trainAls,
  userVector,
  type AlsConfig,
  type AlsModel,
  type Catalog,
  type CsrMatrix,
  type HistoryEntry,
  type InteractionEvent,
  type InteractionKind as DomainKind,
  type InteractionWeighting,
  type ScoredRecommendation,
} from '@kairos/recommender/domain';
import type { InteractionKind } from './interaction-signals';
import { InteractionWeights } from './interaction-signals';
import type { Recommendation, RecommendationReason } from './recommend';

/**
 * The trained models as the service serves them (pure: no I/O). Training builds one from the
 * catalogue and the interaction events; a restart rebuilds one from a run's stored item factors.
 * Every model indexes items in the catalogue order given (product id order).
 */

/** One product as the models and the recommendations need it. */
export interface CatalogRow {
  productId: string;
  name: string;
  description: string;
  category: string;
  brand: string;
  price: number | null;
  available: boolean;
}

/** One stored interaction event (`interaction_events`), time in epoch ms. */
export interface StoredInteraction {
  profileId: string;
  productId: string;
  kind: InteractionKind;
  at: number;
}

/** The service's kinds in the domain's words (the domain says add_to_cart). */
const DOMAIN_KIND: Record<InteractionKind, DomainKind> = {
  view: 'view',
  cart: 'add_to_cart',
  purchase: 'purchase',
  email_click: 'email_click',
};

export function toDomainKind(kind: InteractionKind): DomainKind {
  return DOMAIN_KIND[kind];
}

/**
 * The per-kind weights training uses: the same numbers the live `interactions` aggregate uses, so
 * the fallback and the models agree on what a view, an add and a purchase are worth.
 */
export const TRAINING_WEIGHTS: Readonly<Record<DomainKind, number>> = {
  view: InteractionWeights['Product Viewed'],
  add_to_cart: InteractionWeights['Product Added'],
  purchase: InteractionWeights['Order Completed'],
  email_click: InteractionWeights['Email Link Clicked'],
};

export interface ModelParameters {
  als: AlsConfig;
  alsThreads: number;
  alsMinNnzForThreads: number;
  interactionHalfLifeMs: number;
  trendingHalfLifeMs: number;
}

export function toDomainEvent(e: StoredInteraction): InteractionEvent {
  return { userId: e.profileId, itemId: e.productId, kind: toDomainKind(e.kind), at: e.at };
}

/**
 * A person's history for the hybrid: per product, Σ of the decayed event weights at `now`
 * (events after `now` count nothing), and whether they ever bought it (a purchase excludes the
 * product whenever it happened).
 */
export function historyFromEvents(
  events: readonly Pick<StoredInteraction, 'productId' | 'kind' | 'at'>[],
  weighting: Pick<InteractionWeighting, 'halfLifeMs' | 'referenceTime'>,
): HistoryEntry[] {
  const byItem = new Map<string, HistoryEntry>();
  const full = { ...weighting, weights: TRAINING_WEIGHTS };
  for (const e of events) {
    const weight = eventWeight(
      { userId: '', itemId: e.productId, kind: toDomainKind(e.kind), at: e.at },
      full,
    );
    const entry = byItem.get(e.productId) ?? { itemId: e.productId, weight: 0, purchased: false };
    entry.weight += weight;
    entry.purchased ||= e.kind === 'purchase';
    byItem.set(e.productId, entry);
  }
  return [...byItem.values()].sort((a, b) => a.itemId.localeCompare(b.itemId));
}

/**
 * The engaged item whose factors point most the same way as the recommended item's (cosine): the
 * usual explanation of an ALS recommendation, "because you looked at X". -1 when none is similar.
 */
export function alsSeedIndex(
  model: AlsModel,
  itemIndex: number,
  engagedIndices: readonly number[],
): number {
  const k = model.factors;
  const ys = model.itemFactors;
  const norm = (i: number) => Math.sqrt(dot(ys, i * k, ys, i * k, k));
  const target = norm(itemIndex);
  if (target === 0) return -1;
  let best = -1;
  let bestCosine = 0;
  for (const j of engagedIndices) {
    if (j === itemIndex) continue;
    const n = norm(j);
    if (n === 0) continue;
    const cosine = dot(ys, itemIndex * k, ys, j * k, k) / (target * n);
    if (cosine > bestCosine) {
      best = j;
      bestCosine = cosine;
    }
  }
  return best;
}

/** What the models were trained on, for the registry row. */
export interface TrainingStats {
  users: number;
  items: number;
  nnz: number;
  events: number;
  alsThreads: number;
  losses: number[];
  timingsMs: { matrix: number; als: number; content: number; popularity: number };
}

export type TrainingPhase = 'als' | 'content' | 'popularity';

/** The models plus, for precomputing, the training matrix and its user index. */
export interface TrainedModels {
  model: TrainedModel;
  stats: TrainingStats;
  users: IndexMap;
  matrix: CsrMatrix;
  purchased: CsrMatrix;
}

/**
 * Trains ALS (on up to `alsThreads` threads), TF-IDF and popularity. `events` is iterated more
 * than once (matrix and popularity), so it must be re-iterable (an array, or an object whose
 * [Symbol.iterator] starts over).
 */
export async function trainModels(input: {
  runId: string;
  referenceTime: number;
  catalog: readonly CatalogRow[];
  events: Iterable<InteractionEvent>;
  parameters: ModelParameters;
  onProgress?: (phase: TrainingPhase, done: number, total: number) => void;
}): Promise<TrainedModels> {
  const { parameters: p, referenceTime } = input;
  const catalog = catalogOf(input.catalog);
  let t0 = performance.now();
  const { matrix, purchased, users } = buildInteractionMatrix(
    input.events,
    { weights: TRAINING_WEIGHTS, halfLifeMs: p.interactionHalfLifeMs, referenceTime },
    { items: catalog.items, fixedItems: true },
  );
  const matrixMs = performance.now() - t0;

  t0 = performance.now();
  input.onProgress?.('als', 0, p.als.iterations);
  const trained = await trainAls(matrix, p.als, {
    threads: p.alsThreads,
    minNnzForThreads: p.alsMinNnzForThreads,
    trackLoss: true,
    onIteration: (it) => input.onProgress?.('als', it + 1, p.als.iterations),
  });
  const alsMs = performance.now() - t0;

  t0 = performance.now();
  input.onProgress?.('content', 0, 1);
  const content = TfIdfModel.fit(input.catalog);
  input.onProgress?.('content', 1, 1);
  const contentMs = performance.now() - t0;

  t0 = performance.now();
  input.onProgress?.('popularity', 0, 1);
  const popularity = PopularityModel.fit(input.events, catalog.items, catalog.categories, {
    weights: TRAINING_WEIGHTS,
    halfLifeMs: p.trendingHalfLifeMs,
    referenceTime,
  });
  input.onProgress?.('popularity', 1, 1);
  const popularityMs = performance.now() - t0;

  let events = 0;
  for (const e of input.events) if (e.at <= referenceTime) events++;
  return {
    model: new TrainedModel(
      input.runId,
      referenceTime,
      input.catalog,
      catalog,
      trained.model,
      p,
      content,
      popularity,
    ),
    stats: {
      users: users.size,
      items: catalog.items.size,
      nnz: matrix.nnz,
      events,
      alsThreads: trained.threadsUsed,
      losses: trained.losses,
      timingsMs: {
        matrix: matrixMs,
        als: alsMs,
        content: contentMs,
        popularity: popularityMs,
      },
    },
    users,
    matrix,
    purchased,
  };
}

/**
 * Rebuilds a run's models from its stored item factors (no ALS training): content is refitted
 * from the catalogue and popularity from the events at the run's reference time, which gives
 * the run's own numbers while the data before it is unchanged. Products of the run that are no
 * longer in `catalogNow` are kept (the factors need every index) but never recommended.
 */
export function restoreModel(input: {
  runId: string;
  referenceTime: number;
  itemIds: readonly string[];
  itemFactors: Float32Array;
  parameters: ModelParameters;
  catalogNow: readonly CatalogRow[];
  events: Iterable<InteractionEvent>;
}): TrainedModel {
  const byId = new Map(input.catalogNow.map((row) => [row.productId, row]));
  const rows = input.itemIds.map(
    (id): CatalogRow =>
      byId.get(id) ?? {
        productId: id,
        name: id,
        description: '',
        category: '',
        brand: '',
        price: null,
        available: false,
      },
  );
  const catalog = catalogOf(rows);
  const k = input.parameters.als.factors;
  if (input.itemFactors.length !== rows.length * k) {
    throw new RangeError(
      `run ${input.runId}: ${input.itemFactors.length} item factor values for ${rows.length} items × ${k} factors`,
    );
  }
  const als: AlsModel = {
    factors: k,
    nUsers: 0,
    nItems: rows.length,
    userFactors: new Float32Array(0),
    itemFactors: input.itemFactors,
  };
  const popularity = PopularityModel.fit(input.events, catalog.items, catalog.categories, {
    weights: TRAINING_WEIGHTS,
    halfLifeMs: input.parameters.trendingHalfLifeMs,
    referenceTime: input.referenceTime,
  });
  return new TrainedModel(
    input.runId,
    input.referenceTime,
    rows,
    catalog,
    als,
    input.parameters,
    TfIdfModel.fit(rows),
    popularity,
  );
}

function catalogOf(rows: readonly CatalogRow[]): Catalog {
  const items = new IndexMap();
  for (const row of rows) {
    if (items.has(row.productId))
      throw new RangeError(`product ${row.productId} appears twice in the catalogue`);
    items.getOrAdd(row.productId);
  }
  return {
    items,
    categories: rows.map((r) => r.category),
    available: rows.map((r) => r.available),
  };
}

/** The models of one run, ready to recommend. */
export class TrainedModel {
  readonly hybrid: HybridRecommender;
  readonly catalog: Catalog;
  /** Display data and availability by item index; catalogue updates after training land here. */
  private readonly rows: CatalogRow[];
  private readonly available: boolean[];

  constructor(
    readonly runId: string,
    readonly referenceTime: number,
    rows: readonly CatalogRow[],
    catalog: Catalog,
    readonly als: AlsModel,
    readonly parameters: ModelParameters,
    content: TfIdfModel,
    popularity: PopularityModel,
  ) {
    this.rows = [...rows];
    // The hybrid reads availability from this array on every call, so updates take effect at once.
    this.available = rows.map((r) => r.available);
    this.catalog = { ...catalog, available: this.available };
    this.hybrid = new HybridRecommender(this.catalog, {
      als: { model: als, config: parameters.als },
      content,
      popularity,
    });
  }

  /**
   * A catalogue change after training: new name, price or availability of a product the model
   * knows (a product it does not know waits for the next training). True when it knew it.
   */
  updateProduct(row: CatalogRow): boolean {
    const i = this.catalog.items.indexOf(row.productId);
    if (i < 0) return false;
    this.rows[i] = row;
    this.available[i] = row.available;
    return true;
  }

  /** A catalogue tombstone: never recommend the product again. */
  markUnavailable(productId: string): void {
    const i = this.catalog.items.indexOf(productId);
    if (i >= 0) this.available[i] = false;
  }

  /**
   * The top n for a history. Without `alsUserVector` the person is folded in against the item
   * factors (a new interaction since training, or a person training never saw).
   * `recentEmails` (item ids of the last emails, newest first) are not recommended again.
   */
  recommend(
    history: readonly HistoryEntry[],
    n: number,
    options: { alsUserVector?: Float32Array; recentEmails?: readonly (readonly string[])[] } = {},
  ): Recommendation[] {
    const scored = this.hybrid.recommend(
      { history, alsUserVector: options.alsUserVector, recentEmails: options.recentEmails },
      { n, excludePurchased: true },
    );
    return this.present(scored, history);
  }

  /** The top n of user u of the training matrix, with its trained vector. */
  recommendTrained(trained: TrainedModels, u: number, n: number): Recommendation[] {
    const idx = trained.matrix.rowIndices(u);
    const val = trained.matrix.rowValues(u);
    const history: HistoryEntry[] = [];
    for (let j = 0; j < idx.length; j++) {
      history.push({
        itemId: this.catalog.items.idAt(idx[j]),
        weight: val[j],
        purchased: trained.purchased.get(u, idx[j]) > 0,
      });
    }
    return this.recommend(history, n, { alsUserVector: userVector(this.als, u) });
  }

  private present(
    scored: readonly ScoredRecommendation[],
    history: readonly HistoryEntry[],
  ): Recommendation[] {
    const items = this.catalog.items;
    const engaged = history
      .filter((h) => h.weight > 0)
      .map((h) => items.indexOf(h.itemId))
      .filter((i) => i >= 0);
    return scored.map((rec) => {
      const i = items.indexOf(rec.itemId);
      const row = this.rows[i];
      let reason: RecommendationReason = { model: 'popularity' };
      if (rec.reason.model === 'content') {
        reason = this.withSeed('content', rec.reason.seedItemId);
      } else if (rec.reason.model === 'als') {
        const seed = alsSeedIndex(this.als, i, engaged);
        reason = this.withSeed('als', seed >= 0 ? items.idAt(seed) : undefined);
      }
      return {
        productId: rec.itemId,
        name: row.name,
        price: row.price,
        score: Math.round(rec.score * 10_000) / 10_000,
        reason,
      };
    });
  }

  private withSeed(model: 'content' | 'als', seedId: string | undefined): RecommendationReason {
    if (seedId === undefined) return { model };
    const seed = this.rows[this.catalog.items.indexOf(seedId)];
    return seed ? { model, seedProductId: seedId, seedName: seed.name } : { model };
  }
}
