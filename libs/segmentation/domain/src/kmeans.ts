import { seededRng, type Rng } from './prng';

/**
 * K-Means over row-major Float64Array data (n rows × d columns).
 * k-means++ initialisation with a seeded PRNG (reproducible), Lloyd iterations until no
 * assignment changes or the largest centroid move is below `tolerance`, empty clusters re-seeded
 * with the point farthest from its centroid. O(n·k·d) per iteration, no allocation per point.
 */
export interface KMeansProgress {
  phase: 'init' | 'iterate' | 'choose-k' | 'fit';
  k: number;
  iteration: number;
  inertia?: number;
  silhouette?: number;
}

export interface KMeansOptions {
  seed?: number;
  maxIterations?: number;
  tolerance?: number;
  onProgress?: (progress: KMeansProgress) => void;
}

export interface KMeansResult {
  k: number;
  d: number;
  /** k × d, row-major. */
  centroids: Float64Array;
  assignments: Int32Array;
  sizes: Int32Array;
  /** Sum of squared distances to the assigned centroid. */
  inertia: number;
  iterations: number;
}

function sqDist(
  data: Float64Array,
  i: number,
  centroids: Float64Array,
  c: number,
  d: number,
): number {
  let s = 0;
  const a = i * d;
  const b = c * d;
  for (let j = 0; j < d; j++) {
    const diff = data[a + j] - centroids[b + j];
    s += diff * diff;
  }
  return s;
}

/** k-means++: each next centre is drawn with probability proportional to D(x)². */
export function kmeansPlusPlus(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  rng: Rng,
): Float64Array {
  const centroids = new Float64Array(k * d);
  const first = Math.floor(rng() * n);
  centroids.set(data.subarray(first * d, first * d + d), 0);
  const minDist = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    minDist[i] = sqDist(data, i, centroids, 0, d);
    total += minDist[i];
  }
  for (let c = 1; c < k; c++) {
    let chosen = n - 1;
    if (total > 0) {
      let target = rng() * total;
      for (let i = 0; i < n; i++) {
        target -= minDist[i];
        if (target <= 0) {
          chosen = i;
          break;
        }
      }
    } else {
      chosen = Math.floor(rng() * n);
    }
    centroids.set(data.subarray(chosen * d, chosen * d + d), c * d);
    total = 0;
    for (let i = 0; i < n; i++) {
      const dist = sqDist(data, i, centroids, c, d);
      if (dist < minDist[i]) minDist[i] = dist;
      total += minDist[i];
    }
  }
  return centroids;
}

export function kmeans(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  options: KMeansOptions = {},
): KMeansResult {
  if (k < 1 || k > n) throw new RangeError(`k must be in 1..${n}, got ${k}`);
  const rng = seededRng(options.seed ?? 42);
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-6;
  const centroids = kmeansPlusPlus(data, n, d, k, rng);
  options.onProgress?.({ phase: 'init', k, iteration: 0 });
  const assignments = new Int32Array(n).fill(-1);
  const sizes = new Int32Array(k);
  const sums = new Float64Array(k * d);
  const pointDist = new Float64Array(n);
  let inertia = 0;
  let iteration = 0;
  while (iteration < maxIterations) {
    iteration++;
    let changed = 0;
    inertia = 0;
    sizes.fill(0);
    sums.fill(0);
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestDist = Infinity;
      for (let c = 0; c < k; c++) {
        const dist = sqDist(data, i, centroids, c, d);
        if (dist < bestDist) {
          bestDist = dist;
          best = c;
        }
      }
      if (assignments[i] !== best) {
        assignments[i] = best;
        changed++;
      }
      pointDist[i] = bestDist;
      inertia += bestDist;
      sizes[best]++;
      const a = i * d;
      const b = best * d;
      for (let j = 0; j < d; j++) sums[b + j] += data[a + j];
    }
    let maxShift = 0;
    for (let c = 0; c < k; c++) {
      if (sizes[c] === 0) {
        // Re-seed an empty cluster with the worst-served point, so k clusters stay k clusters.
        let far = 0;
        for (let i = 1; i < n; i++) if (pointDist[i] > pointDist[far]) far = i;
        centroids.set(data.subarray(far * d, far * d + d), c * d);
        pointDist[far] = 0;
        maxShift = Infinity;
        continue;
      }
      for (let j = 0; j < d; j++) {
        const next = sums[c * d + j] / sizes[c];
        const shift = Math.abs(next - centroids[c * d + j]);
        if (shift > maxShift) maxShift = shift;
        centroids[c * d + j] = next;
      }
    }
    options.onProgress?.({ phase: 'iterate', k, iteration, inertia });
    if (changed === 0 || maxShift < tolerance) break;
  }
  return { k, d, centroids, assignments, sizes, inertia, iterations: iteration };
}

/** Index of the nearest centroid to `point`. */
export function nearest(
  point: ArrayLike<number>,
  centroids: ArrayLike<number>,
  k: number,
  d: number,
): number {
  let best = 0;
  let bestDist = Infinity;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const diff = point[j] - centroids[c * d + j];
      s += diff * diff;
    }
    if (s < bestDist) {
      bestDist = s;
      best = c;
    }
  }
  return best;
}

/**
 * Mean silhouette over the points in `indices` (all points when omitted), measured against the
 * same set of points: s(i) = (b − a) / max(a, b) with a = mean distance to the other members of
 * its cluster and b = the smallest mean distance to another cluster. A point alone in its
 * cluster scores 0 (the usual convention). O(m²·d) for m points.
 */
export function silhouette(
  data: Float64Array,
  d: number,
  assignments: ArrayLike<number>,
  k: number,
  indices?: ArrayLike<number>,
): number {
  const idx = indices ?? Int32Array.from({ length: assignments.length }, (_, i) => i);
  const m = idx.length;
  if (m < 2) return 0;
  const counts = new Int32Array(k);
  for (let t = 0; t < m; t++) counts[assignments[idx[t]]]++;
  const sums = new Float64Array(k);
  let total = 0;
  for (let t = 0; t < m; t++) {
    const i = idx[t];
    const ci = assignments[i];
    if (counts[ci] <= 1) continue;
    sums.fill(0);
    for (let u = 0; u < m; u++) {
      if (u === t) continue;
      const j = idx[u];
      let s = 0;
      for (let x = 0; x < d; x++) {
        const diff = data[i * d + x] - data[j * d + x];
        s += diff * diff;
      }
      sums[assignments[j]] += Math.sqrt(s);
    }
    const a = sums[ci] / (counts[ci] - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== ci && counts[c] > 0) b = Math.min(b, sums[c] / counts[c]);
    if (b === Infinity) continue;
    const denom = Math.max(a, b);
    total += denom === 0 ? 0 : (b - a) / denom;
  }
  return total / m;
}

/** Silhouette on a uniform random sample of `sampleSize` points (exact when n <= sampleSize). */
export function sampledSilhouette(
  data: Float64Array,
  n: number,
  d: number,
  assignments: ArrayLike<number>,
  k: number,
  sampleSize: number,
  seed = 7,
): number {
  return silhouette(
    data,
    d,
    assignments,
    k,
    n <= sampleSize ? undefined : sampleIndices(n, sampleSize, seededRng(seed)),
  );
}

/** `m` distinct indices in 0..n-1 (Floyd's algorithm), sorted. */
export function sampleIndices(n: number, m: number, rng: Rng): Int32Array {
  const chosen = new Set<number>();
  for (let j = n - m; j < n; j++) {
    const t = Math.floor(rng() * (j + 1));
    chosen.add(chosen.has(t) ? j : t);
  }
  return Int32Array.from([...chosen].sort((a, b) => a - b));
}

export interface ChooseKOptions extends KMeansOptions {
  kMin?: number;
  kMax?: number;
  /** Points used by the silhouette (sampled above this). */
  silhouetteSample?: number;
  /** Points used to fit each candidate k (sampled above this); the final fit uses all points. */
  fitSample?: number;
}

export interface ChooseKResult {
  k: number;
  scores: { k: number; silhouette: number; inertia: number }[];
  result: KMeansResult;
}

/**
 * Choose k in [kMin, kMax] by the highest (sampled) silhouette, fitting candidates on a sample
 * for large n, then fit the chosen k on all points.
 */
export function chooseK(
  data: Float64Array,
  n: number,
  d: number,
  options: ChooseKOptions = {},
): ChooseKResult {
  const kMin = Math.max(2, options.kMin ?? 2);
  const kMax = Math.min(options.kMax ?? 8, n - 1);
  const seed = options.seed ?? 42;
  const fitSample = options.fitSample ?? 50_000;
  const silhouetteSample = options.silhouetteSample ?? 2_000;
  let sample = data;
  let m = n;
  if (n > fitSample) {
    const idx = sampleIndices(n, fitSample, seededRng(seed + 1));
    sample = new Float64Array(fitSample * d);
    for (let t = 0; t < fitSample; t++)
      sample.set(data.subarray(idx[t] * d, idx[t] * d + d), t * d);
    m = fitSample;
  }
  const scores: ChooseKResult['scores'] = [];
  let best = { k: kMin, silhouette: -Infinity };
  for (let k = kMin; k <= kMax; k++) {
    const r = kmeans(sample, m, d, k, { ...options, onProgress: undefined, seed });
    const s = sampledSilhouette(sample, m, d, r.assignments, k, silhouetteSample, seed + k);
    scores.push({ k, silhouette: s, inertia: r.inertia });
    options.onProgress?.({
      phase: 'choose-k',
      k,
      iteration: r.iterations,
      inertia: r.inertia,
      silhouette: s,
    });
    if (s > best.silhouette) best = { k, silhouette: s };
  }
  const result = kmeans(data, n, d, best.k, {
    ...options,
    seed,
    onProgress: options.onProgress
      ? (p) => options.onProgress?.({ ...p, phase: p.phase === 'iterate' ? 'fit' : p.phase })
      : undefined,
  });
  return { k: best.k, scores, result };
}

/** Standardize columns in place (z-scores); returns the means and standard deviations used. */
export function standardize(
  data: Float64Array,
  n: number,
  d: number,
): { mean: number[]; std: number[] } {
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const diff = data[i * d + j] - mean[j];
      std[j] += diff * diff;
    }
  }
  // A constant column has std 0: leave it at 0 after centring rather than dividing by zero.
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j] / n) || 1;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) data[i * d + j] = (data[i * d + j] - mean[j]) / std[j];
  return { mean, std };
}
