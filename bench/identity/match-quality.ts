/**
 * Match-quality bench for identity's probabilistic matching (not a test; prints JSON and a
 * short table). Generates people with known truth (synthetic-people.ts), blocks, compares and
 * scores every candidate pair with the production code, and reports pairwise precision,
 * recall and F1 at the thresholds (default: the production defaults), plus the review band and
 * a threshold sweep.
 *
 *   npx tsc -p bench/identity/tsconfig.json && node dist/bench/bench/identity/match-quality.js
 *   # options: --seed 7 --people 20000 --upper 13 --lower 8 --tf off --errors 10
 *
 * Recall counts every true pair, including those blocking never proposed.
 */
import { parseArgs } from 'node:util';
// The pure matching code only (relative import: the feature's index would load Nest and TypeORM).
import {
  DEFAULT_MATCH_THRESHOLDS,
  candidatePairs,
  matchPair,
  toMatchRecord,
  type NameFrequency,
} from '../../libs/identity/feature/src/domain/matching';
import { generate, type BenchRecord } from './synthetic-people';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '20250301' },
    people: { type: 'string', default: '20000' },
    upper: { type: 'string', default: String(DEFAULT_MATCH_THRESHOLDS.upper) },
    lower: { type: 'string', default: String(DEFAULT_MATCH_THRESHOLDS.lower) },
    errors: { type: 'string', default: '0' },
    /** 'off' scores without term-frequency adjusted name weights. */
    tf: { type: 'string', default: 'on' },
  },
});
const seed = Number(values.seed);
const upper = Number(values.upper);
const lower = Number(values.lower);

const started = Date.now();
const records = generate({ seed, people: Number(values.people) });
const byId = new Map<string, BenchRecord>(records.map((r) => [r.id, r]));
const matchRecords = records.map((r) => toMatchRecord(r));
const generatedMs = Date.now() - started;

const perPerson = new Map<string, number>();
for (const r of records) perPerson.set(r.personId, (perPerson.get(r.personId) ?? 0) + 1);
const truePairs = [...perPerson.values()].reduce((sum, n) => sum + (n * (n - 1)) / 2, 0);

// Name frequencies over all records, as production computes them over all profiles.
const counts = { firstName: new Map<string, number>(), lastName: new Map<string, number>() };
for (const r of matchRecords) {
  for (const field of ['firstName', 'lastName'] as const) {
    const name = r[field];
    if (name) counts[field].set(name, (counts[field].get(name) ?? 0) + 1);
  }
}
const frequency: NameFrequency | undefined =
  values.tf === 'off'
    ? undefined
    : (field, name) => (counts[field].get(name) ?? 0) / matchRecords.length;

const t0 = Date.now();
const pairs = candidatePairs(matchRecords);
const scored = pairs.map(([a, b]) => {
  const { score, ...comparison } = matchPair(a, b, { frequency });
  return {
    a: a.id,
    b: b.id,
    score,
    same: byId.get(a.id)!.personId === byId.get(b.id)!.personId,
    comparison,
  };
});
const scoringMs = Date.now() - t0;
const blockedTrue = scored.filter((p) => p.same).length;

function metrics(threshold: number) {
  let tp = 0;
  let fp = 0;
  for (const p of scored) {
    if (p.score < threshold) continue;
    if (p.same) tp++;
    else fp++;
  }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = truePairs === 0 ? 1 : tp / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { threshold, tp, fp, fn: truePairs - tp, precision, recall, f1 };
}

const atUpper = metrics(upper);
const review = scored.filter((p) => p.score >= lower && p.score < upper);
const reviewSame = review.filter((p) => p.same).length;
const atLowerIfReviewedCorrectly = {
  // If reviewers accept exactly the true pairs of the review band.
  recall: (atUpper.tp + reviewSame) / truePairs,
};

const result = {
  seed,
  records: records.length,
  people: perPerson.size,
  truePairs,
  candidatePairs: pairs.length,
  blockingRecall: blockedTrue / truePairs,
  thresholds: { upper, lower },
  autoMerge: atUpper,
  reviewBand: {
    pairs: review.length,
    samePerson: reviewSame,
    recallIfReviewed: atLowerIfReviewedCorrectly.recall,
  },
  sweep: [8, 10, 11, 12, 13, 14, 15, 16, 18, 20].map(metrics).map((m) => ({
    threshold: m.threshold,
    precision: round(m.precision),
    recall: round(m.recall),
    f1: round(m.f1),
  })),
  timingsMs: { generate: generatedMs, blockAndScore: scoringMs },
};

console.log(JSON.stringify(result));
console.log('');
console.log(
  `records ${records.length}, true pairs ${truePairs}, candidate pairs ${pairs.length}, blocking recall ${pct(result.blockingRecall)}`,
);
console.log(
  `auto-merge at score >= ${upper}: precision ${pct(atUpper.precision)}  recall ${pct(atUpper.recall)}  F1 ${pct(atUpper.f1)}  (tp ${atUpper.tp}, fp ${atUpper.fp}, fn ${atUpper.fn})`,
);
console.log(`review band [${lower}, ${upper}): ${review.length} pairs, ${reviewSame} same person`);
console.log('threshold  precision  recall   F1');
for (const m of result.sweep)
  console.log(
    `${String(m.threshold).padStart(9)}  ${pct(m.precision).padStart(9)}  ${pct(m.recall).padStart(6)}  ${pct(m.f1).padStart(6)}`,
  );

const showErrors = Number(values.errors);
if (showErrors > 0) {
  const describe = (p: (typeof scored)[number]) => {
    const a = byId.get(p.a)!;
    const b = byId.get(p.b)!;
    return `${p.score.toFixed(1)} ${JSON.stringify(p.comparison)} [${a.corruptions.join(',')}|${b.corruptions.join(',')}]`;
  };
  console.log('\nfalse positives:');
  for (const p of scored.filter((x) => !x.same && x.score >= upper).slice(0, showErrors))
    console.log(describe(p));
  console.log('\nmissed (blocked, below upper):');
  for (const p of scored.filter((x) => x.same && x.score < upper).slice(0, showErrors))
    console.log(describe(p));
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}
