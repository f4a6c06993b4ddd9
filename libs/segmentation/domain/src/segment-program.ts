import { assignCluster, type ClusterModel } from './cluster-model';
import {
  counterId,
  planCounters,
  type CounterPlan,
  type CounterRequirement,
} from './event-counters';
import { orderTest, valueTest, type OrderOp } from './operators';
import { requirements } from './requirements';
import {
  resolveField,
  validateDefinitions,
  type Condition,
  type DaysAgoValue,
  type FieldCondition,
  type SegmentDefinition,
  type ValidationResult,
} from './segment-definition';
import { DAY_MS } from './time';
import {
  changedFacts,
  counterFactKey,
  TODAY_FACT,
  type CounterWindow,
  type Facts,
  type FactsOptions,
} from './traits-facts';

/**
 * A compiled set of segment definitions.
 *
 * Each definition is compiled once into a closure `(facts, memberships) => boolean` (no tree is
 * interpreted per evaluation). `memberships` is a Uint8Array indexed by the program's segment
 * index, filled in topological order, so `inSegment` is one array read.
 *
 * Incremental evaluation (`evaluateChange`): the facts that changed between the profile's
 * previous and current state select, through a dependency index (facts key → segments), the
 * segments that can have changed; segments that read another segment are re-evaluated only
 * when that segment's membership actually changed. Segments are visited in topological order
 * so a dependency is always settled before its dependents.
 */
export type SegmentTest = (facts: Facts, memberships: Uint8Array) => boolean;

export interface CompiledSegment {
  readonly id: string;
  readonly index: number;
  readonly priority: number;
  readonly definition: SegmentDefinition;
  readonly test: SegmentTest;
  /** Facts keys read. */
  readonly facts: readonly string[];
  /** Indexes of segments this one reads (all smaller than `index`). */
  readonly dependsOn: readonly number[];
  /** Indexes of segments that read this one. */
  readonly dependents: readonly number[];
}

export interface MembershipChange {
  /** Segments entered by this change, in evaluation order. */
  entered: string[];
  /** Segments exited by this change, in evaluation order. */
  exited: string[];
  /** The full membership after the change, sorted (ids unknown to the program are kept). */
  memberships: string[];
  /** Highest-priority segment the profile is in after the change (ties: smallest id). */
  primary: string | null;
  previousPrimary: string | null;
  /** How many segment closures ran (for metrics). */
  evaluated: number;
}

export interface CompileOptions {
  clusterModels?: readonly ClusterModel[];
}

interface CompileContext {
  indexOf: ReadonlyMap<string, number>;
  clusterModels: ReadonlyMap<string, ClusterModel>;
}

function compileAll(tests: SegmentTest[], kind: 'and' | 'or'): SegmentTest {
  if (tests.length === 1) return tests[0];
  if (kind === 'and') {
    if (tests.length === 2) {
      const [a, b] = tests;
      return (f, m) => a(f, m) && b(f, m);
    }
    if (tests.length === 3) {
      const [a, b, c] = tests;
      return (f, m) => a(f, m) && b(f, m) && c(f, m);
    }
    return (f, m) => {
      for (let i = 0; i < tests.length; i++) if (!tests[i](f, m)) return false;
      return true;
    };
  }
  if (tests.length === 2) {
    const [a, b] = tests;
    return (f, m) => a(f, m) || b(f, m);
  }
  return (f, m) => {
    for (let i = 0; i < tests.length; i++) if (tests[i](f, m)) return true;
    return false;
  };
}

function timeValue(value: unknown): number {
  return typeof value === 'number' ? value : Date.parse(value as string);
}

function compileField(c: FieldCondition): SegmentTest {
  const r = resolveField(c.field);
  if (!r) throw new Error(`unknown field '${c.field}' (validate before compiling)`);
  const key = r.factKey;
  const mapKey = r.mapKey;
  const read: (f: Facts) => unknown =
    mapKey === undefined
      ? (f) => f[key]
      : (f) => {
          const map = f[key] as Record<string, number> | null | undefined;
          return map ? (map[mapKey] ?? 0) : 0;
        };
  if (c.op === 'daysAgo') {
    const v = c.value as DaysAgoValue;
    const t = orderTest(v.op, v.days);
    return (f) => {
      const at = f[key];
      return typeof at === 'number' && t((f[TODAY_FACT] as number) - Math.floor(at / DAY_MS));
    };
  }
  if (r.type === 'time' && c.op !== 'exists') {
    if (c.op === 'between') {
      const [lo, hi] = (c.value as unknown[]).map(timeValue);
      return (f) => {
        const at = f[key];
        return typeof at === 'number' && at >= lo && at <= hi;
      };
    }
    const t = orderTest(c.op as OrderOp, timeValue(c.value));
    return (f) => {
      const at = f[key];
      return typeof at === 'number' && t(at);
    };
  }
  if (
    r.type === 'number' &&
    mapKey === undefined &&
    ['eq', 'neq', 'lt', 'lte', 'gt', 'gte'].includes(c.op)
  ) {
    // Hot path: most conditions are numeric thresholds on one fact.
    const t = orderTest(c.op as OrderOp, c.value as number);
    return (f) => {
      const v = f[key];
      return typeof v === 'number' && t(v);
    };
  }
  if (r.type === 'number' && mapKey === undefined && c.op === 'between') {
    const [lo, hi] = c.value as [number, number];
    return (f) => {
      const v = f[key];
      return typeof v === 'number' && v >= lo && v <= hi;
    };
  }
  const test = valueTest(c.op, c.value);
  return (f) => test(read(f));
}

function compileCondition(c: Condition, ctx: CompileContext): SegmentTest {
  if ('and' in c)
    return compileAll(
      c.and.map((x) => compileCondition(x, ctx)),
      'and',
    );
  if ('or' in c)
    return compileAll(
      c.or.map((x) => compileCondition(x, ctx)),
      'or',
    );
  if ('not' in c) {
    const inner = compileCondition(c.not, ctx);
    return (f, m) => !inner(f, m);
  }
  if ('field' in c) return compileField(c);
  if ('inSegment' in c) {
    const index = ctx.indexOf.get(c.inSegment);
    if (index === undefined)
      throw new Error(`unknown segment '${c.inSegment}' (validate before compiling)`);
    return (_f, m) => m[index] === 1;
  }
  if ('consent' in c) {
    const states = new Set<unknown>(Array.isArray(c.consent) ? c.consent : [c.consent]);
    return (f) => states.has(f['profile.emailConsent']);
  }
  if ('cluster' in c) {
    const model = ctx.clusterModels.get(c.cluster.model);
    if (!model) throw new Error(`unknown cluster model '${c.cluster.model}'`);
    const index = c.cluster.index;
    return (f) => assignCluster(model, f) === index;
  }
  if ('score' in c) {
    const terms = c.score.terms.map((term) => {
      const r = resolveField(term.field);
      return { key: r?.factKey ?? term.field, mapKey: r?.mapKey, weight: term.weight };
    });
    const { op, value } = c.score;
    const inRange: (x: number) => boolean =
      op === 'between'
        ? (x) => x >= (value as number[])[0] && x <= (value as number[])[1]
        : orderTest(op, value as number);
    return (f) => {
      let sum = 0;
      for (const t of terms) {
        let v = f[t.key];
        if (t.mapKey !== undefined) v = v ? ((v as Record<string, number>)[t.mapKey] ?? 0) : 0;
        if (typeof v === 'number') sum += t.weight * v;
      }
      return inRange(sum);
    };
  }
  const p = c.performed;
  const key = counterFactKey(counterId(p.event, p.where ?? []), p.withinDays ?? null);
  const t = orderTest(p.count?.op ?? 'gte', p.count?.value ?? 1);
  return (f) => {
    const v = f[key];
    return t(typeof v === 'number' ? v : 0);
  };
}

export class SegmentProgram {
  /** In topological order: a segment comes after every segment it reads. */
  readonly segments: readonly CompiledSegment[];
  /** Union of the counters every definition needs (give to the traits model). */
  readonly counterRequirements: readonly CounterRequirement[];
  readonly counterPlan: CounterPlan;
  readonly counterWindows: readonly CounterWindow[];
  private readonly indexOf: ReadonlyMap<string, number>;
  private readonly byFact: ReadonlyMap<string, readonly number[]>;
  /** Segment indexes by (priority desc, id asc), for the primary segment. */
  private readonly byPriority: readonly number[];

  constructor(definitions: readonly SegmentDefinition[], options: CompileOptions = {}) {
    const models = new Map((options.clusterModels ?? []).map((m) => [m.id, m]));
    const reqs = new Map(definitions.map((d) => [d.id, requirements(d, options.clusterModels)]));
    const order = topologicalOrder(definitions, reqs);
    const indexOf = new Map(order.map((d, i) => [d.id, i]));
    const ctx: CompileContext = { indexOf, clusterModels: models };
    const dependents: number[][] = order.map(() => []);
    const byFact = new Map<string, number[]>();
    const counters: CounterRequirement[] = [];
    const windows = new Map<string, CounterWindow>();
    this.segments = order.map((definition, index) => {
      const r = reqs.get(definition.id);
      if (!r) throw new Error('unreachable');
      const dependsOn = r.segments.map((id) => indexOf.get(id) as number);
      for (const d of dependsOn) dependents[d].push(index);
      for (const key of r.facts) {
        const list = byFact.get(key) ?? [];
        list.push(index);
        byFact.set(key, list);
      }
      counters.push(...r.counters);
      for (const w of r.counterWindows) windows.set(counterFactKey(w.counterId, w.withinDays), w);
      return {
        id: definition.id,
        index,
        priority: definition.priority ?? 0,
        definition,
        test: compileCondition(definition.rules, ctx),
        facts: r.facts,
        dependsOn,
        dependents: dependents[index],
      };
    });
    this.indexOf = indexOf;
    this.byFact = byFact;
    this.counterPlan = planCounters(counters);
    this.counterRequirements = this.counterPlan.requirements;
    this.counterWindows = [...windows.values()];
    this.byPriority = this.segments
      .map((s) => s.index)
      .sort((a, b) => {
        const sa = this.segments[a];
        const sb = this.segments[b];
        return sb.priority - sa.priority || (sa.id < sb.id ? -1 : sa.id > sb.id ? 1 : 0);
      });
  }

  get size(): number {
    return this.segments.length;
  }

  /** Options for `toFacts` so it evaluates the counters these segments read. */
  factsOptions(extra: Omit<FactsOptions, 'counterWindows'> = {}): FactsOptions {
    return { ...extra, counterWindows: this.counterWindows };
  }

  index(id: string): number | undefined {
    return this.indexOf.get(id);
  }

  /** Which segments read this facts key (the dependency index). */
  dependentsOfFact(key: string): readonly string[] {
    return (this.byFact.get(key) ?? []).map((i) => this.segments[i].id);
  }

  /** Evaluate every segment into `memberships` (reused buffer; length >= size). */
  evaluateInto(facts: Facts, memberships: Uint8Array): void {
    const segments = this.segments;
    for (let i = 0; i < segments.length; i++)
      memberships[i] = segments[i].test(facts, memberships) ? 1 : 0;
  }

  /** Every segment the facts belong to, sorted. */
  evaluateAll(facts: Facts): string[] {
    const m = new Uint8Array(this.segments.length);
    this.evaluateInto(facts, m);
    return this.segments
      .filter((s) => m[s.index] === 1)
      .map((s) => s.id)
      .sort();
  }

  /**
   * Entered/exited for one changed profile. `before` = facts the previous memberships were
   * computed from (null: unknown → evaluate everything); `previous` = current memberships.
   * Only actual changes are reported, so re-applying the same state reports nothing.
   */
  evaluateChange(before: Facts | null, after: Facts, previous: Iterable<string>): MembershipChange {
    const n = this.segments.length;
    const m = new Uint8Array(n);
    const foreign: string[] = [];
    for (const id of previous) {
      const i = this.indexOf.get(id);
      if (i === undefined) foreign.push(id);
      else m[i] = 1;
    }
    const previousPrimary = this.primaryFrom(m);
    const dirty = new Uint8Array(n);
    if (before === null) {
      dirty.fill(1);
    } else {
      for (const key of changedFacts(before, after)) {
        const list = this.byFact.get(key);
        if (list) for (const i of list) dirty[i] = 1;
      }
    }
    const entered: string[] = [];
    const exited: string[] = [];
    let evaluated = 0;
    const segments = this.segments;
    for (let i = 0; i < n; i++) {
      if (dirty[i] === 0) continue;
      evaluated++;
      const s = segments[i];
      const value = s.test(after, m) ? 1 : 0;
      if (value === m[i]) continue;
      m[i] = value;
      (value === 1 ? entered : exited).push(s.id);
      for (const d of s.dependents) dirty[d] = 1;
    }
    const memberships = [...foreign];
    for (let i = 0; i < n; i++) if (m[i] === 1) memberships.push(segments[i].id);
    memberships.sort();
    return {
      entered,
      exited,
      memberships,
      primary: this.primaryFrom(m),
      previousPrimary,
      evaluated,
    };
  }

  /** The highest-priority segment among memberships (ids unknown to the program are ignored). */
  primaryOf(memberships: Iterable<string>): string | null {
    const m = new Uint8Array(this.segments.length);
    for (const id of memberships) {
      const i = this.indexOf.get(id);
      if (i !== undefined) m[i] = 1;
    }
    return this.primaryFrom(m);
  }

  private primaryFrom(m: Uint8Array): string | null {
    for (const i of this.byPriority) if (m[i] === 1) return this.segments[i].id;
    return null;
  }
}

/** Kahn's algorithm, stable in input order. Definitions must be validated (acyclic). */
function topologicalOrder(
  definitions: readonly SegmentDefinition[],
  reqs: ReadonlyMap<string, { segments: string[] }>,
): SegmentDefinition[] {
  const remaining = new Map(
    definitions.map((d) => [d.id, new Set(reqs.get(d.id)?.segments ?? [])]),
  );
  const order: SegmentDefinition[] = [];
  const placed = new Set<string>();
  while (order.length < definitions.length) {
    const before = order.length;
    for (const d of definitions) {
      if (placed.has(d.id)) continue;
      const deps = remaining.get(d.id) as Set<string>;
      if ([...deps].every((id) => placed.has(id))) {
        order.push(d);
        placed.add(d.id);
      }
    }
    if (order.length === before)
      throw new Error('segment membership cycle (validate before compiling)');
  }
  return order;
}

/** Validate (zod + semantic + references + cycles) and compile a set of definitions. */
export function compileSegments(
  raws: readonly unknown[],
  options: CompileOptions = {},
): ValidationResult<SegmentProgram> {
  const validated = validateDefinitions(raws, options);
  if (!validated.ok) return validated;
  return { ok: true, value: new SegmentProgram(validated.value, options) };
}
