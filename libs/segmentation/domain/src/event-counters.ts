import { valueTest, type ComparisonOp } from './operators';
import { valuesAtPath } from './values';

/** A filter on an event property, e.g. `{ property: 'products.category', op: 'eq', value: 'Outdoor' }`. */
export interface PropertyFilter {
  property: string;
  op: ComparisonOp;
  value?: unknown;
}

/**
 * What the traits model must count so that behavioural conditions ("performed Order Completed
 * at least 3 times in the last 30 days where category = Outdoor") can be answered without
 * rescanning history: one counter per (event name, property filters), keeping a lifetime total
 * and per-day amounts for `retentionDays` days (the longest window any definition asks for).
 *
 * Counting starts when a requirement first appears: history before that is not backfilled by the
 * incremental model (a replay of the event log is the backfill path).
 */
export interface CounterRequirement {
  /** Stable id derived from event + filters (`counterId`), the key under ComputedTraits.counters. */
  id: string;
  event: string;
  where: PropertyFilter[];
  /** Longest window (days) any condition reads; 0 when only lifetime totals are needed. */
  retentionDays: number;
}

function canonicalFilters(where: readonly PropertyFilter[]): string {
  return JSON.stringify(
    where
      .map((f) => [f.property, f.op, f.value === undefined ? null : f.value] as const)
      .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
  );
}

/** 53-bit FNV-1a style hash as 14 hex chars: short keys keep every profile's JSON small. */
function hash(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return ((h2 & 0x1fffff) * 4_294_967_296 + h1).toString(16).padStart(14, '0');
}

/** The same event name and the same set of filters (in any order) give the same id. */
export function counterId(event: string, where: readonly PropertyFilter[]): string {
  return `c${hash(`${event}\u0000${canonicalFilters(where)}`)}`;
}

export interface PlannedCounter {
  readonly id: string;
  readonly retentionDays: number;
  readonly matches: (properties: Record<string, unknown>) => boolean;
}

/** Counters indexed by event name, so folding an event only looks at the counters for its name. */
export interface CounterPlan {
  readonly byEvent: ReadonlyMap<string, readonly PlannedCounter[]>;
  readonly requirements: readonly CounterRequirement[];
}

export function compileFilter(
  filter: PropertyFilter,
): (properties: Record<string, unknown>) => boolean {
  const path = filter.property.split('.');
  const test = valueTest(filter.op, filter.value);
  if (filter.op === 'exists')
    return (p) => test(valuesAtPath(p, path).find((v) => v !== null && v !== undefined));
  return (p) => valuesAtPath(p, path).some((v) => test(v));
}

/** Union of requirements (same id → longest retention) compiled for the traits model. */
export function planCounters(requirements: readonly CounterRequirement[]): CounterPlan {
  const merged = new Map<string, CounterRequirement>();
  for (const r of requirements) {
    const known = merged.get(r.id);
    merged.set(
      r.id,
      known ? { ...known, retentionDays: Math.max(known.retentionDays, r.retentionDays) } : r,
    );
  }
  const byEvent = new Map<string, PlannedCounter[]>();
  for (const r of merged.values()) {
    const filters = r.where.map(compileFilter);
    const planned: PlannedCounter = {
      id: r.id,
      retentionDays: r.retentionDays,
      matches: (p) => filters.every((f) => f(p)),
    };
    const list = byEvent.get(r.event) ?? [];
    list.push(planned);
    byEvent.set(r.event, list);
  }
  return { byEvent, requirements: [...merged.values()] };
}

export const EMPTY_PLAN: CounterPlan = planCounters([]);
