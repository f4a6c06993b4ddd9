/**
 * K-Means on 1,000,000 generated profiles: RFM + engagement features (log-transformed,
 * standardized), k chosen by sampled silhouette over k = 2..8 (candidates fitted on a 50k
 * sample), then the chosen k fitted on all profiles. Profiles are drawn from five archetypes
 * with noise, so a good k is around 4–5.
 *
 * Run: npx tsc -p bench/segmentation/tsconfig.json && node dist/bench/bench/segmentation/kmeans.js [profiles]
 */
import {
  DEFAULT_CLUSTER_FEATURES,
  fitClusterModel,
  seededRng,
  transformValue,
} from '../../libs/segmentation/domain/src';
import { report } from './bench-kit';

const N = Number(process.argv[2] ?? 1_000_000);
const rng = seededRng(4242);
const gauss = (): number => {
  const u = 1 - rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
};
/** recencyDays, orders, ltv, openRate, clickRate, visits30d */
const ARCHETYPES = [
  { w: 0.15, mean: [5, 12, 1500, 0.6, 0.2, 12] }, // loyal high spenders
  { w: 0.35, mean: [250, 1, 40, 0.05, 0.01, 0] }, // dormant one-time buyers
  { w: 0.2, mean: [20, 1, 60, 0.3, 0.05, 3] }, // new customers
  { w: 0.2, mean: [40, 4, 300, 0.25, 0.05, 4] }, // steady occasional
  { w: 0.1, mean: [180, 8, 900, 0.1, 0.02, 1] }, // lapsed loyal
];

const d = DEFAULT_CLUSTER_FEATURES.length;
const data = new Float64Array(N * d);
const tGen = process.hrtime.bigint();
for (let i = 0; i < N; i++) {
  let r = rng();
  let a = ARCHETYPES[0];
  for (const candidate of ARCHETYPES) {
    a = candidate;
    if ((r -= candidate.w) <= 0) break;
  }
  const raw = [
    Math.max(0, a.mean[0] * Math.exp(0.4 * gauss())),
    Math.max(1, Math.round(a.mean[1] * Math.exp(0.3 * gauss()))),
    Math.max(0, a.mean[2] * Math.exp(0.4 * gauss())),
    Math.min(1, Math.max(0, a.mean[3] + 0.08 * gauss())),
    Math.min(1, Math.max(0, a.mean[4] + 0.03 * gauss())),
    Math.max(0, Math.round(a.mean[5] * Math.exp(0.3 * gauss()))),
  ];
  for (let j = 0; j < d; j++) data[i * d + j] = transformValue(raw[j], DEFAULT_CLUSTER_FEATURES[j]);
}
const generateMs = Number(process.hrtime.bigint() - tGen) / 1e6;

let lastLog = 0;
const t0 = process.hrtime.bigint();
const model = fitClusterModel(data, N, {
  id: 'bench-rfm',
  kMin: 2,
  kMax: 8,
  seed: 1,
  fitSample: 50_000,
  silhouetteSample: 2_000,
  onProgress: (p) => {
    const now = Date.now();
    if (p.phase === 'choose-k' || now - lastLog > 2000) {
      lastLog = now;
      console.error(`progress ${JSON.stringify(p)}`);
    }
  },
});
const fitMs = Number(process.hrtime.bigint() - t0) / 1e6;

const result = {
  profiles: N,
  features: d,
  generateMs,
  fitMs,
  kChosen: model.centroids.length,
  silhouette: model.silhouette,
  clusters: model.labels.map((label, i) => ({
    label,
    size: model.sizes[i],
    centroid: model.centroids[i].map((v) => Math.round(v * 100) / 100),
  })),
};
report('segmentation K-Means (k by sampled silhouette, 2..8)', result, [
  ['profiles', N],
  ['fit ms (choose k + final fit)', fitMs],
  ['k chosen', result.kChosen],
  ['silhouette (sampled)', model.silhouette],
  ...model.labels.map((label, i): [string, string | number] => [
    `cluster ${i}`,
    `${label} (${model.sizes[i]})`,
  ]),
]);
