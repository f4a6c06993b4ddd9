/**
 * Full re-evaluation of 100 segment definitions over 1,000,000 generated profiles (e.g. after
 * a definition change or for a nightly reconciliation). Profiles are held columnar: one
 * Float64Array per numeric/time fact (NaN = absent) and one Int32Array per non-numeric fact
 * (an index into a small pool of values). One reusable facts object is refilled per row, then
 * the compiled closures run in topological order into a reusable membership buffer.
 * The facts are generated directly (this measures evaluation, not the traits fold).
 * Target: < 10 s.
 *
 * Run: npx tsc -p bench/segmentation/tsconfig.json && node dist/bench/bench/segmentation/full-eval.js [profiles]
 */
import {
  DAY_MS,
  FIELD_CATALOG,
  seededRng,
  type Facts,
  type FactValue,
} from '../../libs/segmentation/domain/src';
import { hundredSegmentProgram, report } from './bench-kit';

const N = Number(process.argv[2] ?? 1_000_000);
const program = hundredSegmentProgram();
const rng = seededRng(7);
const TODAY = Math.floor(Date.UTC(2025, 6, 1) / DAY_MS);
const CATEGORIES = ['electronics', 'fashion', 'outdoor', 'kitchen', 'toys', 'beauty', 'apparel'];

const keys = [...new Set(program.segments.flatMap((s) => s.facts))].sort();

type Column =
  { key: string; numeric: Float64Array } | { key: string; pooled: Int32Array; pool: FactValue[] };

function numericGenerator(key: string): () => number {
  if (key.startsWith('count:')) return () => (rng() < 0.5 ? 0 : Math.floor(rng() * 5));
  if (key.includes('Rate')) return () => (rng() < 0.3 ? NaN : rng());
  if (key === 'profile.age') return () => (rng() < 0.2 ? NaN : 18 + Math.floor(rng() * 60));
  if (key === '$today') return () => TODAY;
  if (key.includes('ltv') || key.includes('Value') || key.includes('revenue'))
    return () => Math.round(rng() * rng() * 3000);
  if (key.endsWith('At'))
    return () => (rng() < 0.25 ? NaN : (TODAY - Math.floor(rng() * 200)) * DAY_MS);
  return () => Math.floor(rng() * rng() * 12);
}

function pool(key: string): FactValue[] {
  const type = FIELD_CATALOG[key]?.type;
  if (key === 'profile.emailConsent') return ['subscribed', 'unsubscribed', 'unknown'];
  if (key === 'traits.loyaltyTier') return [null, 'bronze', 'silver', 'gold', 'platinum'];
  if (key === 'traits.topCategory')
    return [null, 'Electronics', 'Fashion', 'Outdoor', 'Apparel', 'Kitchen'];
  if (type === 'scoreMap') {
    return Array.from({ length: 256 }, () => {
      const map: Record<string, number> = {};
      for (const c of CATEGORIES) if (rng() < 0.4) map[c] = Math.round(rng() * 100) / 10;
      return map;
    });
  }
  if (type === 'stringList') return [[], ['sku-1'], ['sku-1', 'sku-2']];
  return [null, 'a', 'b'];
}

const tGen = process.hrtime.bigint();
const columns: Column[] = keys.map((key) => {
  const type = FIELD_CATALOG[key]?.type;
  const numeric =
    key.startsWith('count:') || key === '$today' || type === 'number' || type === 'time';
  if (numeric) {
    const gen = numericGenerator(key);
    const col = new Float64Array(N);
    for (let i = 0; i < N; i++) col[i] = gen();
    return { key, numeric: col };
  }
  const values = pool(key);
  const col = new Int32Array(N);
  for (let i = 0; i < N; i++) col[i] = Math.floor(rng() * values.length);
  return { key, pooled: col, pool: values };
});
const generateMs = Number(process.hrtime.bigint() - tGen) / 1e6;

const facts: Facts = {};
for (const key of keys) facts[key] = null;
const m = new Uint8Array(program.size);
const counts = new Float64Array(program.size);

const t0 = process.hrtime.bigint();
for (let i = 0; i < N; i++) {
  for (let j = 0; j < columns.length; j++) {
    const c = columns[j];
    if ('numeric' in c) {
      const v = c.numeric[i];
      facts[c.key] = v === v ? v : null;
    } else {
      facts[c.key] = c.pool[c.pooled[i]];
    }
  }
  program.evaluateInto(facts, m);
  for (let s = 0; s < m.length; s++) counts[s] += m[s];
}
const evalMs = Number(process.hrtime.bigint() - t0) / 1e6;
const memberships = counts.reduce((a, b) => a + b, 0);

const result = {
  profiles: N,
  segments: program.size,
  factColumns: columns.length,
  generateMs,
  evaluateMs: evalMs,
  nsPerSegmentEvaluation: (evalMs * 1e6) / (N * program.size),
  profilesPerSecond: N / (evalMs / 1000),
  avgMembershipsPerProfile: memberships / N,
  targetMs: 10_000,
};
report('segmentation full re-evaluation (100 segments × profiles)', result, [
  ['profiles', N],
  ['fact columns', columns.length],
  ['evaluate ms', evalMs],
  ['ns / segment evaluation', result.nsPerSegmentEvaluation],
  ['profiles / s', result.profilesPerSecond],
  ['avg memberships / profile', result.avgMembershipsPerProfile],
]);
