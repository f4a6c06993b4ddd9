import {
  Prng,
  type InteractionEvent,
  type InteractionKind,
  type ItemText,
} from '../../libs/recommender/domain/src';

/**
 * A deterministic synthetic shop: items in categories with brands and words drawn from their
 * category's vocabulary, people with latent tastes (a mix of 1–3 category "centroids" plus
 * personal noise), and sessions whose item is drawn from softmax(sharpness · taste·item + log
 * popularity), restricted to items already launched. Tastes are stable over time, so what a
 * person does later is predictable from earlier behaviour — the structure ALS should find.
 */
export interface StoreSpec {
  seed: number;
  users: number;
  items: number;
  categories: number;
  brands: number;
  /** Latent dimension of the generator (not of the model). */
  dims: number;
  /** Mean sessions per person (log-normal activity). */
  meanSessions: number;
  days: number;
  /** How strongly taste drives choice vs. popularity. */
  sharpness: number;
  startTime: number;
}

export const DEFAULT_STORE: StoreSpec = {
  seed: 7,
  users: 5000,
  items: 2000,
  categories: 20,
  brands: 60,
  dims: 16,
  meanSessions: 26,
  days: 120,
  sharpness: 4,
  startTime: Date.UTC(2026, 0, 1),
};

export interface SyntheticItem extends ItemText {
  id: string;
  category: string;
  brand: string;
  available: boolean;
  launchedAt: number;
}

export interface SyntheticStore {
  items: SyntheticItem[];
  events: InteractionEvent[];
  spec: StoreSpec;
}

const DAY = 86_400_000;
const GENERIC =
  'classic premium everyday soft light durable modern compact original essential'.split(' ');

export function generateStore(spec: StoreSpec = DEFAULT_STORE): SyntheticStore {
  const prng = new Prng(spec.seed);
  const d = spec.dims;
  // Noise is given relative to a unit vector's norm: per coordinate it is scaled by 1/√d, so
  // "0.6" means the same in any dimension (per-coordinate noise of 0.6 in 16 dimensions would
  // have norm 2.4 and drown the category centroid).
  const jitter = 1 / Math.sqrt(d);
  const centroids = Array.from({ length: spec.categories }, () =>
    unit(Array.from({ length: d }, () => prng.normal())),
  );
  const vocab = Array.from({ length: spec.categories }, (_, c) =>
    Array.from({ length: 12 }, (_, w) => `${syllable(prng)}${syllable(prng)}${c}w${w}`),
  );
  const brandHome = Array.from({ length: spec.brands }, () => prng.int(spec.categories));

  const items: SyntheticItem[] = [];
  const itemVec = new Float64Array(spec.items * d);
  const logPop = new Float64Array(spec.items);
  for (let i = 0; i < spec.items; i++) {
    const c = i % spec.categories;
    const v = unit(centroids[c].map((x) => x + 0.6 * jitter * prng.normal()));
    itemVec.set(v, i * d);
    logPop[i] = 1.0 * prng.normal();
    // Most items exist from the start; a fifth launch during the period.
    const launchedAt =
      spec.startTime + (prng.next() < 0.8 ? 0 : Math.floor(prng.next() * spec.days * 0.9) * DAY);
    const brand = prng.next() < 0.7 ? sameCategoryBrand(prng, brandHome, c) : prng.int(spec.brands);
    const words = vocab[c];
    const pick = () => words[prng.int(words.length)];
    items.push({
      id: `p${i}`,
      category: `category-${c}`,
      brand: `brand-${brand}`,
      name: `${GENERIC[prng.int(GENERIC.length)]} ${pick()} ${pick()}`,
      description: `${pick()} ${pick()} ${pick()} ${GENERIC[prng.int(GENERIC.length)]} ${pick()}`,
      available: prng.next() > 0.03,
      launchedAt,
    });
  }

  const events: InteractionEvent[] = [];
  /** exp(utility) of each item for the current person. */
  const utility = new Float64Array(spec.items);
  const cdf = new Float64Array(spec.items);
  for (let u = 0; u < spec.users; u++) {
    const userId = `u${u}`;
    const taste = new Float64Array(d);
    const loves = 1 + prng.int(3);
    for (let l = 0; l < loves; l++) {
      const c = centroids[prng.int(spec.categories)];
      const w = 0.5 + prng.next();
      for (let a = 0; a < d; a++) taste[a] += w * c[a];
    }
    for (let a = 0; a < d; a++) taste[a] += 0.4 * jitter * prng.normal();
    const norm = Math.hypot(...taste);
    for (let a = 0; a < d; a++) taste[a] /= norm;
    for (let i = 0; i < spec.items; i++) {
      let s = 0;
      for (let a = 0; a < d; a++) s += taste[a] * itemVec[i * d + a];
      utility[i] = Math.exp(spec.sharpness * s + logPop[i]);
    }
    const sessions = Math.max(
      1,
      Math.round(Math.exp(Math.log(spec.meanSessions) - 0.5 + prng.normal())),
    );
    const times = Array.from(
      { length: sessions },
      () => spec.startTime + Math.floor(prng.next() * spec.days * DAY),
    ).sort((a, b) => a - b);
    for (const at of times) {
      // Distribution over launched items at this time (rebuilt per session: launches change it).
      let total = 0;
      for (let i = 0; i < spec.items; i++) {
        if (items[i].launchedAt <= at) total += utility[i];
        cdf[i] = total;
      }
      const item = items[search(cdf, prng.next() * total)];
      const push = (kind: InteractionKind, offsetMs: number) =>
        events.push({ userId, itemId: item.id, kind, at: at + offsetMs });
      push('view', 0);
      if (prng.next() < 0.08) push('email_click', -60_000);
      if (prng.next() < 0.3) {
        push('add_to_cart', 120_000);
        if (prng.next() < 0.45) push('purchase', 600_000);
      }
    }
  }
  return { items, events, spec };
}

function sameCategoryBrand(prng: Prng, brandHome: number[], c: number): number {
  const own = brandHome.flatMap((home, b) => (home === c ? [b] : []));
  return own.length > 0 ? own[prng.int(own.length)] : prng.int(brandHome.length);
}

function syllable(prng: Prng): string {
  const c = 'bdfgklmnprstvz';
  const v = 'aeiou';
  return c[prng.int(c.length)] + v[prng.int(v.length)];
}

function unit(v: number[]): number[] {
  const n = Math.hypot(...v) || 1;
  return v.map((x) => x / n);
}

function search(cdf: Float64Array, x: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
