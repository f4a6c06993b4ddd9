import { z } from 'zod';
import { COMPARISON_OPS, ORDER_OPS, type ComparisonOp, type OrderOp } from './operators';
import type { PropertyFilter } from './event-counters';
import {
  CONSENT_STATES,
  FIELD_CATALOG,
  PROFILE_TRAITS_PREFIX,
  type FieldSpec,
  type FieldType,
} from './traits-facts';

/**
 * The segment definition language (JSON). A definition:
 *
 *   { "id": "repeat-buyers", "name": "Repeat buyers", "priority": 10, "rules": <condition> }
 *
 * A condition is an object with exactly one of these keys:
 *   and: [c, …]   or: [c, …]   not: c
 *   field: "traits.purchases30d", op: eq|neq|lt|lte|gt|gte|between|in|contains|exists|daysAgo, value
 *       (between: [lo, hi]; in: [v, …]; exists: true|false (default true);
 *        daysAgo on a time field: { "op": "lte", "days": 30 }; time comparisons take ISO-8601;
 *        score maps are read by key: "traits.categoryAffinity.Outdoor" (absent key = 0);
 *        custom identify traits: "profile.traits.<name>")
 *   performed: { event, where?: [{ property, op, value }], withinDays?: 1..365,
 *                count?: { op: eq|neq|lt|lte|gt|gte, value } }   (count defaults to gte 1;
 *                property paths fan out over arrays: "products.category"; page events are
 *                named "Page Viewed")
 *   inSegment: "<segment id>"
 *   consent: "subscribed" | ["subscribed", "unknown"]
 *   cluster: { model: "<cluster model id>", index: <cluster index> }   (nearest centroid)
 *   score: { terms: [{ field, weight }], op: eq|…|between, value }      (weighted sum; an absent
 *                term value counts as 0)
 *
 * Validation returns every problem with a JSON path to it, e.g. `$.rules.and[2].value`.
 */
export interface AndCondition {
  and: Condition[];
}
export interface OrCondition {
  or: Condition[];
}
export interface NotCondition {
  not: Condition;
}
export interface DaysAgoValue {
  op: OrderOp;
  days: number;
}
export interface FieldCondition {
  field: string;
  op: ComparisonOp | 'daysAgo';
  value?: unknown;
}
export interface PerformedCondition {
  performed: {
    event: string;
    where?: PropertyFilter[];
    withinDays?: number;
    count?: { op: OrderOp; value: number };
  };
}
export interface InSegmentCondition {
  inSegment: string;
}
export interface ConsentCondition {
  consent: ConsentStateName | ConsentStateName[];
}
export interface ClusterCondition {
  cluster: { model: string; index: number };
}
export interface ScoreCondition {
  score: {
    terms: { field: string; weight: number }[];
    op: OrderOp | 'between';
    value: number | [number, number];
  };
}
export type Condition =
  | AndCondition
  | OrCondition
  | NotCondition
  | FieldCondition
  | PerformedCondition
  | InSegmentCondition
  | ConsentCondition
  | ClusterCondition
  | ScoreCondition;

type ConsentStateName = 'subscribed' | 'unsubscribed' | 'unknown';

export interface SegmentDefinition {
  id: string;
  name: string;
  description?: string;
  /** Higher wins when choosing a profile's primary segment. Default 0. */
  priority?: number;
  rules: Condition;
}

export interface ValidationIssue {
  /** The definition's id (or `#<index>` when it has none) for set-level validation. */
  segment?: string;
  /** JSON path inside the definition, e.g. `$.rules.and[2].value`. */
  path: string;
  message: string;
}

/** What validation must know about cluster models referenced by `cluster` conditions. */
export interface ClusterModelRef {
  id: string;
  centroids: readonly (readonly number[])[];
}

export interface ValidationOptions {
  clusterModels?: readonly ClusterModelRef[];
}

export const CONDITION_KEYS = [
  'and',
  'or',
  'not',
  'field',
  'performed',
  'inSegment',
  'consent',
  'cluster',
  'score',
] as const;
export const MAX_DEPTH = 32;

type Path = readonly (string | number)[];

export function formatPath(path: Path): string {
  let out = '$';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(p)) out += `.${p}`;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out;
}

const Header = z
  .object({
    id: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lower-case letters, digits, "-" or "_"'),
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    priority: z.number().int().min(-1000).max(1000).optional(),
    rules: z.unknown(),
  })
  .strict();

const finite = z.number().finite();
const isoTime = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), 'expected an ISO-8601 date or date-time');
const primitive = z.union([z.string(), finite, z.boolean()]);
const range = z
  .tuple([finite, finite])
  .refine(([lo, hi]) => lo <= hi, 'expected [low, high] with low <= high');
const timeRange = z
  .tuple([isoTime, isoTime])
  .refine(([lo, hi]) => Date.parse(lo) <= Date.parse(hi), 'expected [from, to] with from <= to');
const DaysAgo = z
  .object({ op: z.enum(ORDER_OPS), days: z.number().int().min(0).max(36_500) })
  .strict();

const ALLOWED_OPS: Record<FieldType, readonly string[]> = {
  number: ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'between', 'in', 'exists'],
  string: ['eq', 'neq', 'in', 'contains', 'exists'],
  boolean: ['eq', 'neq', 'exists'],
  time: ['lt', 'lte', 'gt', 'gte', 'between', 'daysAgo', 'exists'],
  stringList: ['contains', 'in', 'exists'],
  scoreMap: [],
  any: ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'between', 'in', 'contains', 'exists'],
};

/** The zod schema of `value` for a field of this type and this operator. */
function valueSchema(type: FieldType, op: string, spec?: FieldSpec): z.ZodType<unknown> {
  if (op === 'exists') return z.boolean().optional();
  if (op === 'daysAgo') return DaysAgo;
  const enumValue = spec?.enum ? z.enum(spec.enum as [string, ...string[]]) : undefined;
  switch (type) {
    case 'number':
      if (op === 'between') return range;
      if (op === 'in') return z.array(finite).min(1);
      return finite;
    case 'string':
      if (op === 'in') return z.array(enumValue ?? z.string()).min(1);
      if (op === 'contains') return z.string().min(1);
      return enumValue ?? z.string();
    case 'boolean':
      return z.boolean();
    case 'time':
      return op === 'between' ? timeRange : isoTime;
    case 'stringList':
      return op === 'in' ? z.array(z.string()).min(1) : z.string().min(1);
    case 'any':
    case 'scoreMap':
      if (op === 'between') return range;
      if (op === 'in') return z.array(primitive).min(1);
      if (op === 'contains') return z.string().min(1);
      if (op === 'eq' || op === 'neq') return primitive;
      return finite;
  }
}

export interface ResolvedField {
  /** The facts key the value is read from. */
  factKey: string;
  /** Key inside a score map (lower-cased), if the field is `<map>.<key>`. */
  mapKey?: string;
  /** Type of the value the condition compares (a map key reads a number). */
  type: FieldType;
  spec?: FieldSpec;
}

/** Resolve a field name of the language to its facts key and type; undefined if unknown. */
export function resolveField(field: string): ResolvedField | undefined {
  const spec = FIELD_CATALOG[field];
  if (spec) return spec.type === 'scoreMap' ? undefined : { factKey: field, type: spec.type, spec };
  if (field.startsWith(PROFILE_TRAITS_PREFIX) && field.length > PROFILE_TRAITS_PREFIX.length) {
    return { factKey: field, type: 'any' };
  }
  for (const key of Object.keys(FIELD_CATALOG)) {
    const s = FIELD_CATALOG[key];
    if (s.type === 'scoreMap' && field.startsWith(`${key}.`) && field.length > key.length + 1) {
      return {
        factKey: key,
        mapKey: field.slice(key.length + 1).toLowerCase(),
        type: 'number',
        spec: s,
      };
    }
  }
  return undefined;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

function suggestField(field: string): string {
  let best: string | undefined;
  let bestDistance = 4;
  for (const key of Object.keys(FIELD_CATALOG)) {
    const d = editDistance(field, key);
    if (d < bestDistance) {
      bestDistance = d;
      best = key;
    }
  }
  return best ? ` (did you mean '${best}'?)` : '';
}

class Collector {
  readonly issues: ValidationIssue[] = [];
  add(path: Path, message: string): void {
    this.issues.push({ path: formatPath(path), message });
  }
  zod(path: Path, error: z.ZodError): void {
    for (const issue of error.issues) {
      const message =
        issue.code === 'unrecognized_keys'
          ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`
          : issue.message;
      this.add([...path, ...issue.path], message);
    }
  }
  check<T>(schema: z.ZodType<T>, value: unknown, path: Path): T | undefined {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    this.zod(path, parsed.error);
    return undefined;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function checkFieldCondition(node: Record<string, unknown>, path: Path, out: Collector): void {
  const shape = z
    .object({ field: z.string().min(1), op: z.string(), value: z.unknown().optional() })
    .strict()
    .safeParse(node);
  if (!shape.success) return out.zod(path, shape.error);
  const { field, op, value } = shape.data;
  const allOps: readonly string[] = [...COMPARISON_OPS, 'daysAgo'];
  if (!allOps.includes(op)) {
    return out.add(
      [...path, 'op'],
      `unknown operator '${op}' (expected one of ${allOps.join(', ')})`,
    );
  }
  const resolved = resolveField(field);
  if (!resolved) {
    const isMap = FIELD_CATALOG[field]?.type === 'scoreMap';
    return out.add(
      [...path, 'field'],
      isMap
        ? `'${field}' is a score map: name a key, e.g. '${field}.Outdoor'`
        : `unknown field '${field}'${suggestField(field)}`,
    );
  }
  const allowed = ALLOWED_OPS[resolved.type];
  if (!allowed.includes(op)) {
    return out.add(
      [...path, 'op'],
      `operator '${op}' does not apply to ${resolved.type} field '${field}' (allowed: ${allowed.join(', ')})`,
    );
  }
  if (value === undefined && op !== 'exists')
    return out.add(path, `'value' is required for operator '${op}'`);
  const schema = valueSchema(resolved.type, op, resolved.spec);
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    if (first.path.length === 0 && first.code === 'invalid_type') {
      return out.add(
        [...path, 'value'],
        `operator '${op}' on ${resolved.type} field '${field}' expects ${first.expected}, got ${describe(value)}`,
      );
    }
    out.zod([...path, 'value'], parsed.error);
  }
}

const PropertyFilterShape = z
  .object({
    property: z.string().min(1),
    op: z.enum(COMPARISON_OPS),
    value: z.unknown().optional(),
  })
  .strict();
const PerformedShape = z
  .object({
    event: z.string().min(1).max(200),
    where: z.array(z.unknown()).max(10).optional(),
    withinDays: z.number().int().min(1).max(365).optional(),
    count: z
      .object({ op: z.enum(ORDER_OPS), value: z.number().int().min(0) })
      .strict()
      .optional(),
  })
  .strict();

function checkPerformed(node: Record<string, unknown>, path: Path, out: Collector): void {
  if (Object.keys(node).length !== 1)
    return out.add(path, "a 'performed' condition has no other keys");
  const p = [...path, 'performed'];
  const body = out.check(PerformedShape, node.performed, p);
  if (!body?.where) return;
  body.where.forEach((raw, i) => {
    const fp = [...p, 'where', i];
    const filter = out.check(PropertyFilterShape, raw, fp);
    if (!filter) return;
    if (filter.value === undefined && filter.op !== 'exists')
      return out.add(fp, `'value' is required for operator '${filter.op}'`);
    out.check(valueSchema('any', filter.op), filter.value, [...fp, 'value']);
  });
}

const ConsentShape = z.union([
  z.enum(CONSENT_STATES as [string, ...string[]]),
  z.array(z.enum(CONSENT_STATES as [string, ...string[]])).min(1),
]);
const ClusterShape = z
  .object({ model: z.string().min(1), index: z.number().int().min(0) })
  .strict();
const ScoreShape = z
  .object({
    terms: z
      .array(z.object({ field: z.string().min(1), weight: finite }).strict())
      .min(1)
      .max(50),
    op: z.enum([...ORDER_OPS, 'between']),
    value: z.union([finite, range]),
  })
  .strict();

function checkCondition(
  node: unknown,
  path: Path,
  depth: number,
  out: Collector,
  options: ValidationOptions,
): void {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    return out.add(path, `expected a condition object, got ${describe(node)}`);
  }
  if (depth > MAX_DEPTH)
    return out.add(path, `conditions are nested deeper than ${MAX_DEPTH} levels`);
  const record = node as Record<string, unknown>;
  const kinds = CONDITION_KEYS.filter((k) => k in record);
  if (kinds.length === 0) {
    const keys = Object.keys(record);
    return out.add(
      path,
      `unknown condition${keys.length ? ` (keys: ${keys.join(', ')})` : ''}: expected exactly one of ${CONDITION_KEYS.join(', ')}`,
    );
  }
  if (kinds.length > 1)
    return out.add(
      path,
      `a condition has exactly one of ${CONDITION_KEYS.join(', ')} (found ${kinds.join(', ')})`,
    );
  const kind = kinds[0];
  switch (kind) {
    case 'and':
    case 'or': {
      if (Object.keys(record).length !== 1)
        return out.add(path, `an '${kind}' condition has no other keys`);
      const list = record[kind];
      if (!Array.isArray(list) || list.length === 0) {
        return out.add(
          [...path, kind],
          `'${kind}' takes a non-empty array of conditions, got ${describe(list)}`,
        );
      }
      list.forEach((child, i) =>
        checkCondition(child, [...path, kind, i], depth + 1, out, options),
      );
      return;
    }
    case 'not':
      if (Object.keys(record).length !== 1)
        return out.add(path, "a 'not' condition has no other keys");
      return checkCondition(record.not, [...path, 'not'], depth + 1, out, options);
    case 'field':
      return checkFieldCondition(record, path, out);
    case 'performed':
      return checkPerformed(record, path, out);
    case 'inSegment':
      if (Object.keys(record).length !== 1)
        return out.add(path, "an 'inSegment' condition has no other keys");
      out.check(z.string().min(1), record.inSegment, [...path, 'inSegment']);
      return;
    case 'consent':
      if (Object.keys(record).length !== 1)
        return out.add(path, "a 'consent' condition has no other keys");
      out.check(ConsentShape, record.consent, [...path, 'consent']);
      return;
    case 'cluster': {
      if (Object.keys(record).length !== 1)
        return out.add(path, "a 'cluster' condition has no other keys");
      const c = out.check(ClusterShape, record.cluster, [...path, 'cluster']);
      if (!c) return;
      const model = options.clusterModels?.find((m) => m.id === c.model);
      if (!model)
        return out.add([...path, 'cluster', 'model'], `unknown cluster model '${c.model}'`);
      if (c.index >= model.centroids.length) {
        out.add(
          [...path, 'cluster', 'index'],
          `cluster model '${c.model}' has ${model.centroids.length} clusters (index 0..${model.centroids.length - 1})`,
        );
      }
      return;
    }
    case 'score': {
      if (Object.keys(record).length !== 1)
        return out.add(path, "a 'score' condition has no other keys");
      const s = out.check(ScoreShape, record.score, [...path, 'score']);
      if (!s) return;
      s.terms.forEach((term, i) => {
        const r = resolveField(term.field);
        if (!r || (r.type !== 'number' && r.type !== 'any')) {
          out.add(
            [...path, 'score', 'terms', i, 'field'],
            r
              ? `'${term.field}' is not numeric`
              : `unknown field '${term.field}'${suggestField(term.field)}`,
          );
        }
      });
      if ((s.op === 'between') !== Array.isArray(s.value)) {
        out.add(
          [...path, 'score', 'value'],
          s.op === 'between' ? "'between' takes [low, high]" : `'${s.op}' takes a number`,
        );
      }
      return;
    }
  }
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

/** Validate one definition on its own (segment references are checked by validateDefinitions). */
export function validateDefinition(
  raw: unknown,
  options: ValidationOptions = {},
): ValidationResult<SegmentDefinition> {
  const out = new Collector();
  out.check(Header, raw, []);
  // Rules are checked even when the header is wrong, so one round trip reports everything.
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const rules = (raw as { rules?: unknown }).rules;
    if (rules !== undefined) checkCondition(rules, ['rules'], 1, out, options);
  }
  return out.issues.length === 0
    ? { ok: true, value: raw as SegmentDefinition }
    : { ok: false, issues: out.issues };
}

/** Every `inSegment` reference with its JSON path. */
export function segmentReferences(
  condition: Condition,
  path: Path = ['rules'],
): { id: string; path: string }[] {
  if ('and' in condition)
    return condition.and.flatMap((c, i) => segmentReferences(c, [...path, 'and', i]));
  if ('or' in condition)
    return condition.or.flatMap((c, i) => segmentReferences(c, [...path, 'or', i]));
  if ('not' in condition) return segmentReferences(condition.not, [...path, 'not']);
  if ('inSegment' in condition)
    return [{ id: condition.inSegment, path: formatPath([...path, 'inSegment']) }];
  return [];
}

/**
 * Validate a set of definitions: each one, plus duplicate ids, references to unknown segments
 * and membership cycles (a → b → a), which would make evaluation order undefined.
 */
export function validateDefinitions(
  raws: readonly unknown[],
  options: ValidationOptions = {},
): ValidationResult<SegmentDefinition[]> {
  const issues: ValidationIssue[] = [];
  const valid: SegmentDefinition[] = [];
  const seen = new Set<string>();
  raws.forEach((raw, i) => {
    const id =
      typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string'
        ? (raw as { id: string }).id
        : `#${i}`;
    const result = validateDefinition(raw, options);
    if (!result.ok) {
      issues.push(...result.issues.map((issue) => ({ ...issue, segment: id })));
      return;
    }
    if (seen.has(id))
      issues.push({ segment: id, path: '$.id', message: `duplicate segment id '${id}'` });
    seen.add(id);
    valid.push(result.value);
  });
  const ids = new Set(
    raws
      .map((r) => (r as { id?: unknown })?.id)
      .filter((id): id is string => typeof id === 'string'),
  );
  const edges = new Map<string, { id: string; path: string }[]>();
  for (const def of valid) {
    const refs = segmentReferences(def.rules);
    for (const ref of refs) {
      if (!ids.has(ref.id))
        issues.push({ segment: def.id, path: ref.path, message: `unknown segment '${ref.id}'` });
      else if (ref.id === def.id)
        issues.push({
          segment: def.id,
          path: ref.path,
          message: `segment '${def.id}' refers to itself`,
        });
    }
    edges.set(
      def.id,
      refs.filter((r) => r.id !== def.id && ids.has(r.id)),
    );
  }
  issues.push(...findCycles(edges));
  return issues.length === 0 ? { ok: true, value: valid } : { ok: false, issues };
}

/** Depth-first search; reports each cycle once, at the reference that closes it. */
function findCycles(edges: Map<string, { id: string; path: string }[]>): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): void => {
    state.set(id, 'visiting');
    stack.push(id);
    for (const ref of edges.get(id) ?? []) {
      const s = state.get(ref.id);
      if (s === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(ref.id)), ref.id];
        issues.push({
          segment: id,
          path: ref.path,
          message: `segment membership cycle: ${cycle.join(' → ')}`,
        });
      } else if (s === undefined && edges.has(ref.id)) {
        visit(ref.id);
      }
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of [...edges.keys()].sort()) if (!state.has(id)) visit(id);
  return issues;
}

export class SegmentDefinitionError extends Error {
  constructor(readonly issues: readonly ValidationIssue[]) {
    super(
      `invalid segment definition: ${issues
        .slice(0, 5)
        .map((i) => `${i.segment ? `${i.segment} ` : ''}${i.path}: ${i.message}`)
        .join('; ')}${issues.length > 5 ? ` (+${issues.length - 5} more)` : ''}`,
    );
    this.name = 'SegmentDefinitionError';
  }
}
