import { z } from 'zod';

/**
 * Content-rule conditions: a small, JSON-serializable expression language over what the
 * renderer knows about the person at send time (stored as data in `content_rules.condition`).
 *
 *  - `{ field, op, value }` compares one fact; fields are `traits.<path>` (profile traits merged
 *    with segmentation's computed traits, computed winning), `profile.<name>` (firstName,
 *    timezone, …) and `segments` (the ids of the segments the person is in);
 *  - `{ all: [...] }`, `{ any: [...] }`, `{ not: ... }` combine them.
 *
 * Evaluation never throws: a missing fact or a value of the wrong type makes the leaf false
 * (and `not` of it true), so a rule over data that is not there yet simply does not match.
 */
export const ConditionOps = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'in',
  'exists',
  /** The fact is a time no more than `value` days before now. */
  'within_days',
  /** The fact is a time more than `value` days before now. */
  'older_than_days',
] as const;
export type ConditionOp = (typeof ConditionOps)[number];

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { field: string; op: ConditionOp; value?: unknown };

export interface Facts {
  traits: Record<string, unknown>;
  profile: Record<string, unknown>;
  segments: readonly string[];
}

const FIELD = /^(segments|(traits|profile)(\.[A-Za-z0-9_-]+){1,4})$/;
/** Bounds keep a stored rule cheap to evaluate on every send. */
const MAX_DEPTH = 6;
const MAX_NODES = 50;

const Leaf = z
  .object({
    field: z
      .string()
      .regex(FIELD, 'must be "segments", "traits.<name>[.<key>…]" or "profile.<name>"'),
    op: z.enum(ConditionOps),
    value: z.unknown().optional(),
  })
  .strict()
  .superRefine((leaf, ctx) => {
    const numeric = ['gt', 'gte', 'lt', 'lte', 'within_days', 'older_than_days'];
    if (numeric.includes(leaf.op) && typeof leaf.value !== 'number')
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${leaf.op} needs a number` });
    if (leaf.op === 'in' && !Array.isArray(leaf.value))
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'in needs a list' });
    if (leaf.op !== 'exists' && leaf.value === undefined)
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${leaf.op} needs a value` });
  });

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(ConditionSchema).min(1).max(20) }).strict(),
    z.object({ any: z.array(ConditionSchema).min(1).max(20) }).strict(),
    z.object({ not: ConditionSchema }).strict(),
    Leaf,
  ]),
) as z.ZodType<Condition>;

/** A parsed condition, or what is wrong with it (for the admin API's 400 answer). */
export function parseCondition(
  input: unknown,
): { ok: true; value: Condition } | { ok: false; error: string } {
  const parsed = ConditionSchema.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, error: `${first.path.join('.') || '(root)'}: ${first.message}` };
  }
  const size = measure(parsed.data, 1);
  if (size.depth > MAX_DEPTH) return { ok: false, error: `nested deeper than ${MAX_DEPTH}` };
  if (size.nodes > MAX_NODES) return { ok: false, error: `more than ${MAX_NODES} conditions` };
  return { ok: true, value: parsed.data };
}

function measure(c: Condition, depth: number): { depth: number; nodes: number } {
  const children = 'all' in c ? c.all : 'any' in c ? c.any : 'not' in c ? [c.not] : [];
  let max = depth;
  let nodes = 1;
  for (const child of children) {
    const m = measure(child, depth + 1);
    max = Math.max(max, m.depth);
    nodes += m.nodes;
  }
  return { depth: max, nodes };
}

export function evaluateCondition(condition: Condition, facts: Facts, now: Date): boolean {
  if ('all' in condition) return condition.all.every((c) => evaluateCondition(c, facts, now));
  if ('any' in condition) return condition.any.some((c) => evaluateCondition(c, facts, now));
  if ('not' in condition) return !evaluateCondition(condition.not, facts, now);
  return evaluateLeaf(condition, resolveField(condition.field, facts), now);
}

/** The fact at a field path; own properties only (no prototype walking). */
export function resolveField(field: string, facts: Facts): unknown {
  if (field === 'segments') return facts.segments;
  const [root, ...path] = field.split('.');
  let value: unknown = root === 'traits' ? facts.traits : root === 'profile' ? facts.profile : {};
  for (const key of path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const DAY_MS = 86_400_000;

function evaluateLeaf(
  leaf: { op: ConditionOp; value?: unknown },
  fact: unknown,
  now: Date,
): boolean {
  const { op, value } = leaf;
  switch (op) {
    case 'exists':
      return fact !== undefined && fact !== null && fact !== '';
    case 'eq':
      return same(fact, value);
    case 'neq':
      return fact !== undefined && fact !== null && !same(fact, value);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const a = toNumber(fact);
      const b = toNumber(value);
      if (a === undefined || b === undefined) return false;
      return op === 'gt' ? a > b : op === 'gte' ? a >= b : op === 'lt' ? a < b : a <= b;
    }
    case 'contains':
      if (Array.isArray(fact)) return fact.some((item) => same(item, value));
      if (typeof fact === 'string' && typeof value === 'string')
        return fact.toLowerCase().includes(value.toLowerCase());
      if (typeof fact === 'object' && fact !== null && typeof value === 'string')
        return Object.prototype.hasOwnProperty.call(fact, value);
      return false;
    case 'in':
      return Array.isArray(value) && value.some((item) => same(fact, item));
    case 'within_days':
    case 'older_than_days': {
      const at = toTime(fact);
      const days = toNumber(value);
      if (at === undefined || days === undefined) return false;
      const age = now.getTime() - at;
      return op === 'within_days' ? age >= 0 && age <= days * DAY_MS : age > days * DAY_MS;
    }
  }
}

/** Equality as marketers mean it: numbers match numeric strings, text ignores case. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  const na = toNumber(a);
  const nb = toNumber(b);
  if (na !== undefined && nb !== undefined && (typeof a === 'number' || typeof b === 'number'))
    return na === nb;
  return a === b;
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function toTime(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') {
    const t = Date.parse(value);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}
