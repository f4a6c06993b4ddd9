import { numberOf } from './values';

/**
 * Comparison semantics shared by profile/trait comparisons and event property filters.
 *
 * - Strings compare case-insensitively (`eq`, `neq`, `in`, `contains`): marketers type
 *   "outdoor" for a catalog that says "Outdoor".
 * - Ordering operators (`lt` … `between`) compare numbers; numeric strings count as numbers.
 * - A missing value (null/undefined) fails every operator except `exists: false`; `neq` is
 *   "present and different" (use `not` for "absent or different").
 * - On a list value, `contains` means "has an element equal to", `in` means "shares an
 *   element with", and the other operators hold when ANY element satisfies them.
 */
export const COMPARISON_OPS = [
  'eq',
  'neq',
  'lt',
  'lte',
  'gt',
  'gte',
  'between',
  'in',
  'contains',
  'exists',
] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

export const ORDER_OPS = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte'] as const;
export type OrderOp = (typeof ORDER_OPS)[number];

export type Primitive = string | number | boolean;

/** A predicate on one present (non-null) scalar value. */
export type ScalarTest = (value: unknown) => boolean;

function norm(value: unknown): unknown {
  return typeof value === 'string' ? value.toLowerCase() : value;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  // "3" equals 3: upstream systems are inconsistent about numeric types.
  if (typeof b === 'number') {
    const n = numberOf(a);
    return n !== undefined && n === b;
  }
  return false;
}

export function orderTest(op: OrderOp, target: number): (n: number) => boolean {
  switch (op) {
    case 'eq':
      return (n) => n === target;
    case 'neq':
      return (n) => n !== target;
    case 'lt':
      return (n) => n < target;
    case 'lte':
      return (n) => n <= target;
    case 'gt':
      return (n) => n > target;
    case 'gte':
      return (n) => n >= target;
  }
}

/**
 * Build the test for one operator and its (already validated) value. `exists` is handled by the
 * callers because it is about presence, not about a value.
 */
export function scalarTest(op: Exclude<ComparisonOp, 'exists'>, value: unknown): ScalarTest {
  switch (op) {
    case 'eq': {
      const v = norm(value);
      return (x) => same(norm(x), v);
    }
    case 'neq': {
      const v = norm(value);
      return (x) => !same(norm(x), v);
    }
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const t = orderTest(op, value as number);
      return (x) => {
        const n = numberOf(x);
        return n !== undefined && t(n);
      };
    }
    case 'between': {
      const [lo, hi] = value as [number, number];
      return (x) => {
        const n = numberOf(x);
        return n !== undefined && n >= lo && n <= hi;
      };
    }
    case 'in': {
      const options = (value as Primitive[]).map(norm);
      const strings = new Set(options.filter((o) => typeof o === 'string'));
      const others = options.filter((o) => typeof o !== 'string');
      return (x) => {
        const v = norm(x);
        if (typeof v === 'string' && strings.has(v)) return true;
        return others.some((o) => same(v, o));
      };
    }
    case 'contains': {
      const needle = norm(value);
      return (x) =>
        typeof x === 'string' && typeof needle === 'string' && x.toLowerCase().includes(needle);
    }
  }
}

/**
 * The test for a value that may be missing or a list; see the semantics above.
 */
export function valueTest(op: ComparisonOp, value: unknown): (x: unknown) => boolean {
  if (op === 'exists') {
    const expected = value !== false;
    return (x) =>
      (x !== null && x !== undefined && !(Array.isArray(x) && x.length === 0)) === expected;
  }
  if (op === 'contains') {
    const needle = norm(value);
    const substring = scalarTest('contains', value);
    return (x) => {
      if (x === null || x === undefined) return false;
      if (Array.isArray(x)) return x.some((e) => same(norm(e), needle));
      return substring(x);
    };
  }
  const test = scalarTest(op, value);
  return (x) => {
    if (x === null || x === undefined) return false;
    if (Array.isArray(x)) return x.some((e) => e !== null && e !== undefined && test(e));
    return test(x);
  };
}
