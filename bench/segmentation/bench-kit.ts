/**
 * Shared bench helpers: a deterministic set of 100 segment definitions that exercises every
 * kind of condition, percentiles, and the JSON + table output every bench prints.
 */
import {
  BUILT_IN_SEGMENT_DEFINITIONS,
  compileSegments,
  seededRng,
  type Condition,
  type SegmentDefinition,
  type SegmentProgram,
} from '../../libs/segmentation/domain/src';

const NUMERIC = [
  'traits.orderCount',
  'traits.ltv',
  'traits.aov',
  'traits.purchases7d',
  'traits.purchases30d',
  'traits.purchases90d',
  'traits.revenue30d',
  'traits.openRate30d',
  'traits.clickRate30d',
  'traits.visits7d',
  'traits.visits30d',
  'traits.cartItemCount',
  'traits.cartValue',
  'traits.daysSinceSignup',
  'profile.age',
];
const TIMES = [
  'traits.lastOrderAt',
  'traits.lastOpenAt',
  'traits.lastVisitAt',
  'traits.lastCartActivityAt',
];
const CATEGORIES = ['Electronics', 'Fashion', 'Outdoor', 'Kitchen', 'Toys', 'Beauty'];
const EVENTS = ['Order Completed', 'Product Viewed', 'Product Added', 'Email Opened'];

/** 100 definitions: the 9 built-ins + 91 generated ones of mixed shapes (deterministic). */
export function hundredDefinitions(): SegmentDefinition[] {
  const rng = seededRng(2025);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
  const defs: SegmentDefinition[] = [...BUILT_IN_SEGMENT_DEFINITIONS];
  const threshold = (field: string): number =>
    field.includes('Rate')
      ? Math.round(rng() * 100) / 100
      : Math.round(
          rng() *
            (field.includes('ltv') || field.includes('Value') || field.includes('revenue')
              ? 500
              : 10),
        );
  const leaf = (): Condition => {
    const r = rng();
    if (r < 0.45) {
      const field = pick(NUMERIC);
      return { field, op: pick(['gt', 'gte', 'lt', 'lte'] as const), value: threshold(field) };
    }
    if (r < 0.6)
      return {
        field: pick(TIMES),
        op: 'daysAgo',
        value: { op: pick(['lte', 'gt'] as const), days: 1 + Math.floor(rng() * 60) },
      };
    if (r < 0.75) {
      const event = pick(EVENTS);
      return {
        performed: {
          event,
          where:
            rng() < 0.5 ? [{ property: 'category', op: 'eq', value: pick(CATEGORIES) }] : undefined,
          withinDays: pick([7, 30, 90]),
          count: { op: 'gte', value: 1 + Math.floor(rng() * 3) },
        },
      };
    }
    if (r < 0.85)
      return {
        field: `traits.categoryAffinity.${pick(CATEGORIES)}`,
        op: 'gte',
        value: Math.round(rng() * 8),
      };
    if (r < 0.92) return { field: 'traits.loyaltyTier', op: 'in', value: ['gold', 'platinum'] };
    return { consent: 'subscribed' };
  };
  for (let i = defs.length; i < 100; i++) {
    const parts: Condition[] = [leaf(), leaf()];
    if (rng() < 0.5) parts.push({ or: [leaf(), { not: leaf() }] });
    // Some segments build on earlier ones (a dependency chain for topological evaluation).
    if (i > 20 && rng() < 0.2) parts.push({ inSegment: defs[Math.floor(rng() * (i - 1))].id });
    defs.push({
      id: `gen-${i}`,
      name: `Generated ${i}`,
      priority: Math.floor(rng() * 100),
      rules: { and: parts },
    });
  }
  return defs;
}

export function hundredSegmentProgram(): SegmentProgram {
  const r = compileSegments(hundredDefinitions());
  if (!r.ok) throw new Error(JSON.stringify(r.issues.slice(0, 5)));
  return r.value;
}

export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Print the result as one JSON line, then a short human table. */
export function report(
  name: string,
  result: Record<string, unknown>,
  rows: [string, string | number][],
): void {
  console.log(JSON.stringify({ bench: name, node: process.version, ...result }));
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\n${name}`);
  for (const [k, v] of rows)
    console.log(`  ${k.padEnd(width)}  ${typeof v === 'number' ? round(v) : v}`);
}

export function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
