import { applyEvent, emptyTraits, type TraitEvent } from './computed-traits';
import { compileSegments, SegmentProgram } from './segment-program';
import type { Condition, SegmentDefinition } from './segment-definition';
import { DAY_MS } from './time';
import { toFacts, type Facts } from './traits-facts';

function program(defs: SegmentDefinition[]): SegmentProgram {
  const r = compileSegments(defs);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

/** Does `facts` match `rules` (a one-segment program)? */
function matches(rules: Condition, facts: Facts): boolean {
  return program([{ id: 's', name: 's', rules }])
    .evaluateAll(facts)
    .includes('s');
}

const TODAY = 20_000;
const base: Facts = {
  $today: TODAY,
  'traits.orderCount': 3,
  'traits.openRate30d': null,
  'traits.loyaltyTier': 'Gold',
  'traits.cartProductIds': ['sku-1', 'sku-2'],
  'traits.lastOrderAt': (TODAY - 10) * DAY_MS + 5000,
  'traits.categoryAffinity': { outdoor: 7.5 },
  'profile.emailConsent': 'subscribed',
  'profile.hasEmail': true,
  'profile.traits.plan': 'pro',
  'profile.traits.seats': 12,
};

describe(SegmentProgram.name, () => {
  describe('operators', () => {
    const cases: [string, Condition, boolean][] = [
      ['eq number', { field: 'traits.orderCount', op: 'eq', value: 3 }, true],
      [
        'eq string is case-insensitive',
        { field: 'traits.loyaltyTier', op: 'eq', value: 'gold' },
        true,
      ],
      ['eq boolean', { field: 'profile.hasEmail', op: 'eq', value: false }, false],
      ['neq', { field: 'traits.loyaltyTier', op: 'neq', value: 'silver' }, true],
      [
        'neq on a missing value is false',
        { field: 'traits.openRate30d', op: 'neq', value: 0.5 },
        false,
      ],
      ['lt', { field: 'traits.orderCount', op: 'lt', value: 3 }, false],
      ['lte', { field: 'traits.orderCount', op: 'lte', value: 3 }, true],
      ['gt', { field: 'traits.orderCount', op: 'gt', value: 2 }, true],
      ['gte', { field: 'traits.orderCount', op: 'gte', value: 4 }, false],
      [
        'gt on a missing value is false',
        { field: 'traits.openRate30d', op: 'gt', value: -1 },
        false,
      ],
      ['between (inclusive)', { field: 'traits.orderCount', op: 'between', value: [3, 5] }, true],
      ['between outside', { field: 'traits.orderCount', op: 'between', value: [4, 5] }, false],
      ['in', { field: 'traits.loyaltyTier', op: 'in', value: ['Silver', 'GOLD'] }, true],
      ['in numbers', { field: 'traits.orderCount', op: 'in', value: [1, 2] }, false],
      ['contains substring', { field: 'traits.loyaltyTier', op: 'contains', value: 'OL' }, true],
      [
        'contains list element',
        { field: 'traits.cartProductIds', op: 'contains', value: 'sku-2' },
        true,
      ],
      [
        'contains list element (no partial match)',
        { field: 'traits.cartProductIds', op: 'contains', value: 'sku' },
        false,
      ],
      [
        'in on a list = intersects',
        { field: 'traits.cartProductIds', op: 'in', value: ['x', 'sku-1'] },
        true,
      ],
      ['exists', { field: 'traits.loyaltyTier', op: 'exists' }, true],
      [
        'exists false on a missing value',
        { field: 'traits.openRate30d', op: 'exists', value: false },
        true,
      ],
      [
        'daysAgo lte',
        { field: 'traits.lastOrderAt', op: 'daysAgo', value: { op: 'lte', days: 10 } },
        true,
      ],
      [
        'daysAgo lt',
        { field: 'traits.lastOrderAt', op: 'daysAgo', value: { op: 'lt', days: 10 } },
        false,
      ],
      [
        'daysAgo on a missing time is false',
        { field: 'traits.lastOpenAt', op: 'daysAgo', value: { op: 'gte', days: 0 } },
        false,
      ],
      [
        'time gt ISO',
        {
          field: 'traits.lastOrderAt',
          op: 'gt',
          value: new Date((TODAY - 11) * DAY_MS).toISOString(),
        },
        true,
      ],
      ['score map key', { field: 'traits.categoryAffinity.Outdoor', op: 'gt', value: 7 }, true],
      [
        'absent score map key reads 0',
        { field: 'traits.categoryAffinity.Kitchen', op: 'eq', value: 0 },
        true,
      ],
      ['custom profile trait', { field: 'profile.traits.plan', op: 'eq', value: 'PRO' }, true],
      ['custom numeric trait', { field: 'profile.traits.seats', op: 'gte', value: 10 }, true],
      ['consent', { consent: 'subscribed' }, true],
      ['consent list', { consent: ['unsubscribed', 'unknown'] }, false],
      [
        'score',
        {
          score: {
            terms: [
              { field: 'traits.orderCount', weight: 2 },
              { field: 'traits.categoryAffinity.Outdoor', weight: 1 },
            ],
            op: 'gte',
            value: 13.5,
          },
        },
        true,
      ],
      [
        'score between',
        {
          score: {
            terms: [{ field: 'traits.orderCount', weight: 1 }],
            op: 'between',
            value: [4, 5],
          },
        },
        false,
      ],
    ];
    it.each(cases)('%s', (_name, rules, expected) => {
      expect(matches(rules, base)).toBe(expected);
    });

    it('evaluates behavioural conditions from counter facts', () => {
      const rules: Condition = {
        performed: {
          event: 'Order Completed',
          where: [{ property: 'category', op: 'eq', value: 'Outdoor' }],
          withinDays: 30,
          count: { op: 'gte', value: 3 },
        },
      };
      const p = program([{ id: 's', name: 's', rules }]);
      expect(p.counterWindows).toHaveLength(1);
      const key = `count:${p.counterWindows[0].counterId}:30`;
      expect(p.evaluateAll({ ...base, [key]: 3 })).toEqual(['s']);
      expect(p.evaluateAll({ ...base, [key]: 2 })).toEqual([]);
      expect(matches({ not: { performed: { event: 'Order Completed' } } }, base)).toBe(true);
    });
  });

  describe('nested rules', () => {
    it('combines and / or / not', () => {
      const rules: Condition = {
        and: [
          {
            or: [
              { field: 'traits.orderCount', op: 'gt', value: 10 },
              { field: 'traits.loyaltyTier', op: 'eq', value: 'gold' },
            ],
          },
          {
            not: {
              and: [
                { consent: 'unsubscribed' },
                { field: 'traits.orderCount', op: 'gt', value: 0 },
              ],
            },
          },
          { not: { not: { field: 'profile.hasEmail', op: 'eq', value: true } } },
          {
            or: [
              { consent: 'unknown' },
              { consent: 'unsubscribed' },
              { field: 'traits.orderCount', op: 'eq', value: 3 },
            ],
          },
        ],
      };
      expect(matches(rules, base)).toBe(true);
      expect(matches(rules, { ...base, 'traits.loyaltyTier': 'bronze' })).toBe(false);
      expect(matches(rules, { ...base, 'profile.emailConsent': 'unsubscribed' })).toBe(false);
    });
  });

  describe('incremental evaluation', () => {
    const defs: SegmentDefinition[] = [
      {
        id: 'vip',
        name: 'VIP',
        priority: 10,
        rules: { and: [{ inSegment: 'buyers' }, { field: 'traits.ltv', op: 'gte', value: 100 }] },
      },
      {
        id: 'buyers',
        name: 'Buyers',
        priority: 1,
        rules: { field: 'traits.orderCount', op: 'gte', value: 1 },
      },
      { id: 'non-buyers', name: 'Non-buyers', rules: { not: { inSegment: 'buyers' } } },
      {
        id: 'openers',
        name: 'Openers',
        priority: 5,
        rules: { field: 'traits.openRate30d', op: 'gte', value: 0.5 },
      },
      {
        id: 'recent',
        name: 'Recent buyers',
        rules: { field: 'traits.lastOrderAt', op: 'daysAgo', value: { op: 'lte', days: 7 } },
      },
    ];
    const p = program(defs);
    const T0 = Date.UTC(2025, 2, 1, 10);
    const order = (days: number, revenue: number): TraitEvent => ({
      type: 'track',
      event: 'Order Completed',
      properties: { revenue },
      timestamp: new Date(T0 + days * DAY_MS).toISOString(),
    });

    it('orders segments topologically', () => {
      const ids = p.segments.map((s) => s.id);
      expect(ids.indexOf('buyers')).toBeLessThan(ids.indexOf('vip'));
      expect(ids.indexOf('buyers')).toBeLessThan(ids.indexOf('non-buyers'));
      expect(p.dependentsOfFact('traits.orderCount')).toEqual(['buyers']);
    });

    it('reports entered/exited exactly once per change, following segment dependencies, and the primary segment', () => {
      let traits = emptyTraits('p');
      let facts = toFacts(null, traits, T0);
      let state = p.evaluateChange(null, facts, []);
      expect(state).toMatchObject({ entered: ['non-buyers'], exited: [], primary: 'non-buyers' });

      const step = (event: TraitEvent, now: number) => {
        traits = applyEvent(traits, event, now);
        const after = toFacts(null, traits, now);
        const change = p.evaluateChange(facts, after, state.memberships);
        facts = after;
        state = change;
        return change;
      };
      expect(step(order(0, 40), T0)).toMatchObject({
        entered: ['buyers', 'recent'],
        exited: ['non-buyers'],
        memberships: ['buyers', 'recent'],
        primary: 'buyers',
        previousPrimary: 'non-buyers',
      });
      // Only the segments reading changed facts ran (not 'openers').
      expect(step(order(1, 80), T0 + DAY_MS)).toMatchObject({
        entered: ['vip'],
        exited: [],
        primary: 'vip',
      });
      expect(state.evaluated).toBeLessThan(p.size);
      // Same state again → nothing to report.
      expect(p.evaluateChange(facts, facts, state.memberships)).toMatchObject({
        entered: [],
        exited: [],
        evaluated: 0,
      });
      // Time passes with no event: a sweep-time evaluation exits 'recent' once.
      const later = toFacts(null, traits, T0 + 9 * DAY_MS);
      const swept = p.evaluateChange(facts, later, state.memberships);
      expect(swept).toMatchObject({
        entered: [],
        exited: ['recent'],
        memberships: ['buyers', 'vip'],
      });
      expect(
        p.evaluateChange(later, toFacts(null, traits, T0 + 10 * DAY_MS), swept.memberships),
      ).toMatchObject({ entered: [], exited: [] });
    });

    it('keeps memberships of segments it does not know', () => {
      const r = p.evaluateChange(null, toFacts(null, emptyTraits('p'), T0), ['retired-segment']);
      expect(r.memberships).toEqual(['non-buyers', 'retired-segment']);
      expect(r.exited).toEqual([]);
    });

    it('picks the highest priority, then the smallest id, as primary', () => {
      expect(p.primaryOf(['openers', 'buyers'])).toBe('openers');
      expect(p.primaryOf(['non-buyers', 'recent'])).toBe('non-buyers');
      expect(p.primaryOf([])).toBeNull();
    });
  });

  it('refuses to compile invalid definitions', () => {
    const r = compileSegments([{ id: 'a', name: 'A', rules: { inSegment: 'b' } }]);
    expect(r.ok).toBe(false);
  });
});
