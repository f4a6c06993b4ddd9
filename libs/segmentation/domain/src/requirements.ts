import type { ClusterModel } from './cluster-model';
import { counterId, type CounterRequirement } from './event-counters';
import { resolveField, type Condition, type SegmentDefinition } from './segment-definition';
import { counterFactKey, TODAY_FACT, type CounterWindow } from './traits-facts';

/**
 * What one segment definition needs from the traits model and what it reads:
 *  - `counters`: event counters the traits model must keep (event name + property filters,
 *    with the longest window asked for) — feed them to `planCounters` and `applyEvent`;
 *  - `counterWindows`: the windows `toFacts` must evaluate for them;
 *  - `facts`: every facts key the compiled segment reads — the evaluator's dependency index;
 *  - `segments`: the segments it refers to (evaluated before it);
 *  - `clusterModels`: cluster models it uses.
 */
export interface SegmentRequirements {
  facts: string[];
  counters: CounterRequirement[];
  counterWindows: CounterWindow[];
  segments: string[];
  clusterModels: string[];
}

export function requirements(
  definition: SegmentDefinition,
  clusterModels: readonly Pick<ClusterModel, 'id' | 'features'>[] = [],
): SegmentRequirements {
  const facts = new Set<string>();
  const counters = new Map<string, CounterRequirement>();
  const windows = new Map<string, CounterWindow>();
  const segments = new Set<string>();
  const models = new Set<string>();
  const walk = (c: Condition): void => {
    if ('and' in c) return c.and.forEach(walk);
    if ('or' in c) return c.or.forEach(walk);
    if ('not' in c) return walk(c.not);
    if ('inSegment' in c) {
      segments.add(c.inSegment);
      return;
    }
    if ('consent' in c) {
      facts.add('profile.emailConsent');
      return;
    }
    if ('field' in c) {
      const r = resolveField(c.field);
      if (r) facts.add(r.factKey);
      if (c.op === 'daysAgo') facts.add(TODAY_FACT);
      return;
    }
    if ('score' in c) {
      for (const term of c.score.terms) {
        const r = resolveField(term.field);
        if (r) facts.add(r.factKey);
      }
      return;
    }
    if ('cluster' in c) {
      models.add(c.cluster.model);
      const model = clusterModels.find((m) => m.id === c.cluster.model);
      for (const f of model?.features ?? []) facts.add(f.field);
      return;
    }
    const p = c.performed;
    const where = p.where ?? [];
    const id = counterId(p.event, where);
    const retentionDays = p.withinDays ?? 0;
    const known = counters.get(id);
    counters.set(id, {
      id,
      event: p.event,
      where,
      retentionDays: Math.max(retentionDays, known?.retentionDays ?? 0),
    });
    const window: CounterWindow = { counterId: id, withinDays: p.withinDays ?? null };
    const key = counterFactKey(id, window.withinDays);
    windows.set(key, window);
    facts.add(key);
  };
  walk(definition.rules);
  return {
    facts: [...facts].sort(),
    counters: [...counters.values()],
    counterWindows: [...windows.values()],
    segments: [...segments].sort(),
    clusterModels: [...models].sort(),
  };
}
