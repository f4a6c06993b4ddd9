/**
 * Incremental evaluation of 100 segment definitions per incoming event, in process.
 * Per event: fold it into the traits (applyEvent), evaluate facts (toFacts), and run the
 * incremental evaluator (evaluateChange). Reports p50/p99 of the whole step and of
 * evaluateChange alone, in µs. Target: p99 < 1 ms.
 *
 * Run: npx tsc -p bench/segmentation/tsconfig.json && node dist/bench/bench/segmentation/incremental-eval.js
 */
import {
  applyEvent,
  DAY_MS,
  emptyTraits,
  rfmCutPoints,
  seededRng,
  toFacts,
  type ComputedTraits,
  type Facts,
  type TraitEvent,
} from '../../libs/segmentation/domain/src';
import { hundredSegmentProgram, percentile, report } from './bench-kit';

const PROFILES = 20_000;
const EVENTS = 200_000;
const WARMUP = 20_000;

const program = hundredSegmentProgram();
const rng = seededRng(99);
const CATEGORIES = ['Electronics', 'Fashion', 'Outdoor', 'Kitchen', 'Toys', 'Beauty'];
const NAMES = [
  'Product Viewed',
  'Product Viewed',
  'Product Added',
  'Order Completed',
  'Email Delivered',
  'Email Opened',
  'Email Link Clicked',
  'Product Removed',
];
const cuts = rfmCutPoints(
  Array.from({ length: 1000 }, () => ({
    recencyDays: Math.floor(rng() * 365),
    frequency: 1 + Math.floor(rng() * 10),
    monetary: rng() * 2000,
  })),
);
const factsOptions = program.factsOptions({ rfmCutPoints: cuts });
const start = Date.UTC(2025, 0, 1);

interface State {
  traits: ComputedTraits;
  facts: Facts;
  memberships: string[];
}
const states: State[] = [];
for (let i = 0; i < PROFILES; i++) {
  const traits = emptyTraits(`p${i}`);
  const facts = toFacts(
    { emailConsent: rng() < 0.7 ? 'subscribed' : 'unknown', birthday: '1990-05-05' },
    traits,
    start,
    factsOptions,
  );
  states.push({ traits, facts, memberships: program.evaluateChange(null, facts, []).memberships });
}

function randomEvent(now: number): TraitEvent {
  const r = rng();
  if (r < 0.1) return { type: 'page', properties: {}, timestamp: new Date(now).toISOString() };
  const name = NAMES[Math.floor(rng() * NAMES.length)];
  // 5 % of events arrive late (up to 10 days).
  const at = rng() < 0.05 ? now - Math.floor(rng() * 10 * DAY_MS) : now;
  const category = CATEGORIES[Math.floor(rng() * CATEGORIES.length)];
  return {
    type: 'track',
    event: name,
    properties: {
      product_id: `sku-${Math.floor(rng() * 500)}`,
      price: 20,
      category,
      revenue: Math.round(rng() * 300),
      products: [{ category }],
    },
    timestamp: new Date(at).toISOString(),
  };
}

const step = new Float64Array(EVENTS);
const evalOnly = new Float64Array(EVENTS);
let evaluated = 0;
let changes = 0;
for (let e = -WARMUP; e < EVENTS; e++) {
  // ~90 simulated days over the run, so windows roll and daysAgo conditions flip.
  const now = start + Math.floor(((e + WARMUP) / (EVENTS + WARMUP)) * 90 * DAY_MS);
  const s = states[Math.floor(rng() * PROFILES)];
  const event = randomEvent(now);
  const t0 = process.hrtime.bigint();
  const traits = applyEvent(s.traits, event, now, { counters: program.counterPlan });
  const facts = toFacts(
    { emailConsent: 'subscribed', birthday: '1990-05-05' },
    traits,
    now,
    factsOptions,
  );
  const t1 = process.hrtime.bigint();
  const change = program.evaluateChange(s.facts, facts, s.memberships);
  const t2 = process.hrtime.bigint();
  s.traits = traits;
  s.facts = facts;
  s.memberships = change.memberships;
  if (e >= 0) {
    step[e] = Number(t2 - t0) / 1000;
    evalOnly[e] = Number(t2 - t1) / 1000;
    evaluated += change.evaluated;
    changes += change.entered.length + change.exited.length;
  }
}
step.sort();
evalOnly.sort();
const result = {
  segments: program.size,
  profiles: PROFILES,
  events: EVENTS,
  stepUs: {
    p50: percentile(step, 0.5),
    p99: percentile(step, 0.99),
    p999: percentile(step, 0.999),
    max: step[step.length - 1],
  },
  evaluateChangeUs: {
    p50: percentile(evalOnly, 0.5),
    p99: percentile(evalOnly, 0.99),
    p999: percentile(evalOnly, 0.999),
  },
  avgSegmentsEvaluatedPerEvent: evaluated / EVENTS,
  membershipChanges: changes,
  targetP99Us: 1000,
};
report('segmentation incremental evaluation (100 segments, per event)', result, [
  ['step p50 µs (fold+facts+evaluate)', result.stepUs.p50],
  ['step p99 µs', result.stepUs.p99],
  ['step p99.9 µs', result.stepUs.p999],
  ['evaluateChange p50 µs', result.evaluateChangeUs.p50],
  ['evaluateChange p99 µs', result.evaluateChangeUs.p99],
  ['segments evaluated / event', result.avgSegmentsEvaluatedPerEvent],
  ['entered+exited', changes],
]);
