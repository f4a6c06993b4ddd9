import { chooseK, nearest, standardize, type ChooseKOptions } from './kmeans';
import type { SegmentDefinition } from './segment-definition';
import type { Facts } from './traits-facts';

/**
 * Customer clusters: K-Means over log-transformed, standardized RFM + engagement features.
 * A fitted model is plain JSON (stored with the segment definitions); `cluster` conditions
 * assign a profile to its nearest centroid with the SAME transform and standardization.
 */
export type FeatureRole = 'recency' | 'frequency' | 'monetary' | 'engagement';

export interface FeatureDef {
  /** Facts key (a numeric field of the segment language). */
  field: string;
  /** log1p tames the long tails of counts and money. */
  transform: 'log1p' | 'none';
  /** Value used when the fact is absent (e.g. recency of someone who never ordered). */
  missing: number;
  role: FeatureRole;
}

export interface FeatureSpec extends FeatureDef {
  mean: number;
  std: number;
}

export const DEFAULT_CLUSTER_FEATURES: readonly FeatureDef[] = [
  { field: 'traits.recencyDays', transform: 'log1p', missing: 365, role: 'recency' },
  { field: 'traits.orderCount', transform: 'log1p', missing: 0, role: 'frequency' },
  { field: 'traits.ltv', transform: 'log1p', missing: 0, role: 'monetary' },
  { field: 'traits.openRate30d', transform: 'none', missing: 0, role: 'engagement' },
  { field: 'traits.clickRate30d', transform: 'none', missing: 0, role: 'engagement' },
  { field: 'traits.visits30d', transform: 'log1p', missing: 0, role: 'engagement' },
];

export interface ClusterModel {
  id: string;
  features: FeatureSpec[];
  /** Standardized space, one array of length features.length per cluster. */
  centroids: number[][];
  /** Plain-words description per cluster (describeCentroid). */
  labels: string[];
  sizes: number[];
  silhouette: number;
}

export function transformValue(raw: number | null | undefined, f: FeatureDef): number {
  const v = typeof raw === 'number' && Number.isFinite(raw) ? raw : f.missing;
  return f.transform === 'log1p' ? Math.log1p(Math.max(0, v)) : v;
}

/** Row-major matrix of transformed (not yet standardized) features. */
export function featureMatrix(
  facts: readonly Facts[],
  features: readonly FeatureDef[] = DEFAULT_CLUSTER_FEATURES,
): Float64Array {
  const d = features.length;
  const data = new Float64Array(facts.length * d);
  facts.forEach((f, i) => {
    features.forEach((feature, j) => {
      data[i * d + j] = transformValue(f[feature.field] as number | null, feature);
    });
  });
  return data;
}

export interface FitOptions extends ChooseKOptions {
  id: string;
  features?: readonly FeatureDef[];
}

/**
 * Fit a model on transformed features (`featureMatrix`, or columns filled by the caller).
 * The matrix is standardized IN PLACE.
 */
export function fitClusterModel(
  data: Float64Array,
  n: number,
  options: FitOptions,
): ClusterModel & { assignments: Int32Array } {
  const features = options.features ?? DEFAULT_CLUSTER_FEATURES;
  const d = features.length;
  const { mean, std } = standardize(data, n, d);
  const chosen = chooseK(data, n, d, options);
  const centroids: number[][] = [];
  for (let c = 0; c < chosen.k; c++)
    centroids.push(Array.from(chosen.result.centroids.subarray(c * d, c * d + d)));
  const specs = features.map((f, j) => ({ ...f, mean: mean[j], std: std[j] }));
  const best = chosen.scores.find((s) => s.k === chosen.k);
  return {
    id: options.id,
    features: specs,
    centroids,
    labels: centroids.map((c) => describeCentroid(c, specs)),
    sizes: Array.from(chosen.result.sizes),
    silhouette: best?.silhouette ?? 0,
    assignments: chosen.result.assignments,
  };
}

/** Standardized feature vector of one profile under a model. */
export function standardizedFeatures(
  model: Pick<ClusterModel, 'features'>,
  facts: Facts,
): Float64Array {
  const v = new Float64Array(model.features.length);
  model.features.forEach((f, j) => {
    v[j] = (transformValue(facts[f.field] as number | null, f) - f.mean) / f.std;
  });
  return v;
}

export function assignCluster(model: ClusterModel, facts: Facts): number {
  const d = model.features.length;
  return nearest(
    standardizedFeatures(model, facts),
    model.centroids.flat(),
    model.centroids.length,
    d,
  );
}

const HIGH = 0.5;
const LOW = -0.5;

/**
 * Plain-words name of a centroid from its standardized values (z-scores: 0 = population mean,
 * ±0.5 = clearly above/below). Recency is "days since last order", so LOW recency = recent.
 * Named archetypes first; otherwise words per axis ("recent occasional low-spending, unengaged").
 */
export function describeCentroid(
  centroid: readonly number[],
  features: readonly FeatureDef[],
): string {
  const role = (r: FeatureRole): number | undefined => {
    const values = features.flatMap((f, j) => (f.role === r ? [centroid[j]] : []));
    return values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;
  };
  const r = role('recency') ?? 0;
  const f = role('frequency') ?? 0;
  const m = role('monetary') ?? 0;
  const e = role('engagement') ?? 0;
  if (f > HIGH && m > HIGH && r < HIGH)
    return e > HIGH ? 'loyal, engaged high spenders' : 'loyal high spenders';
  if (r > HIGH && f < LOW) return e > HIGH ? 'engaged non-buyers' : 'dormant one-time buyers';
  if (r > HIGH && f > HIGH) return 'lapsed loyal customers (at risk)';
  if (r < LOW && f < LOW) return 'new customers';
  if (e > HIGH && f < HIGH) return 'engaged browsers';
  if (e < LOW && r > HIGH) return 'dormant contacts';
  const words = [
    r < LOW ? 'recent' : r > HIGH ? 'lapsing' : 'steady',
    f > HIGH ? 'frequent' : f < LOW ? 'rare' : 'occasional',
    m > HIGH ? 'high-spending' : m < LOW ? 'low-spending' : 'mid-spending',
  ];
  return `${words.join(' ')} shoppers${e > HIGH ? ', engaged' : e < LOW ? ', unengaged' : ''}`;
}

/** A segment definition for one cluster: members are the profiles whose nearest centroid it is. */
export function clusterSegmentDefinition(
  model: ClusterModel,
  index: number,
  options: { id?: string; priority?: number } = {},
): SegmentDefinition {
  if (index < 0 || index >= model.centroids.length)
    throw new RangeError(`cluster index ${index} out of range`);
  const id =
    options.id ?? `${model.id}-cluster-${index}`.toLowerCase().replace(/[^a-z0-9_-]/g, '-');
  return {
    id,
    name: model.labels[index] ?? `cluster ${index}`,
    description: `Nearest centroid is cluster ${index} of model '${model.id}'`,
    priority: options.priority ?? 0,
    rules: { cluster: { model: model.id, index } },
  };
}
