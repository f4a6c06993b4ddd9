import {
  formatPath,
  validateDefinition,
  validateDefinitions,
  type ValidationIssue,
} from './segment-definition';

const def = (rules: unknown, id = 's1') => ({ id, name: 'S', rules });
const issuesOf = (raw: unknown): ValidationIssue[] => {
  const r = validateDefinition(raw);
  return r.ok ? [] : r.issues;
};

describe(validateDefinition.name, () => {
  it('accepts a definition using every kind of condition', () => {
    const r = validateDefinition(
      def({
        and: [
          { field: 'traits.orderCount', op: 'gte', value: 2 },
          {
            or: [{ consent: 'subscribed' }, { not: { field: 'profile.traits.vip', op: 'exists' } }],
          },
          {
            performed: {
              event: 'Order Completed',
              where: [{ property: 'category', op: 'eq', value: 'Outdoor' }],
              withinDays: 30,
              count: { op: 'gte', value: 3 },
            },
          },
          { field: 'traits.lastOrderAt', op: 'daysAgo', value: { op: 'lte', days: 30 } },
          { score: { terms: [{ field: 'traits.rfmR', weight: 1 }], op: 'between', value: [1, 3] } },
        ],
      }),
    );
    expect(r.ok).toBe(true);
  });

  it('formats JSON paths', () => {
    expect(formatPath(['rules', 'and', 2, 'value'])).toBe('$.rules.and[2].value');
    expect(formatPath(['a b'])).toBe('$["a b"]');
  });

  it('reports an unknown operator where it is', () => {
    expect(
      issuesOf(
        def({
          and: [
            { field: 'traits.orderCount', op: 'eq', value: 1 },
            { field: 'traits.orderCount', op: 'greater', value: 1 },
          ],
        }),
      ),
    ).toEqual([
      {
        path: '$.rules.and[1].op',
        message: expect.stringContaining("unknown operator 'greater'") as string,
      },
    ]);
  });

  it('reports a wrong value type with what was expected', () => {
    expect(
      issuesOf(
        def({
          and: [
            { consent: 'subscribed' },
            { consent: 'subscribed' },
            { field: 'traits.purchases30d', op: 'gt', value: 'three' },
          ],
        }),
      ),
    ).toEqual([
      {
        path: '$.rules.and[2].value',
        message:
          "operator 'gt' on number field 'traits.purchases30d' expects number, got string \"three\"",
      },
    ]);
    expect(
      issuesOf(def({ field: 'traits.orderCount', op: 'between', value: [5, 1] }))[0],
    ).toMatchObject({ path: '$.rules.value' });
    expect(
      issuesOf(def({ field: 'traits.orderCount', op: 'in', value: [1, 'x'] }))[0],
    ).toMatchObject({ path: '$.rules.value[1]' });
    expect(
      issuesOf(def({ field: 'traits.lastOrderAt', op: 'daysAgo', value: { op: 'lte' } }))[0],
    ).toMatchObject({ path: '$.rules.value.days' });
    expect(
      issuesOf(def({ field: 'profile.emailConsent', op: 'eq', value: 'maybe' }))[0],
    ).toMatchObject({ path: '$.rules.value' });
    expect(issuesOf(def({ field: 'traits.orderCount', op: 'gt' }))[0]).toMatchObject({
      path: '$.rules',
      message: "'value' is required for operator 'gt'",
    });
  });

  it('reports operators that do not fit the field type, unknown fields with a suggestion, and score maps without a key', () => {
    expect(
      issuesOf(def({ field: 'traits.orderCount', op: 'contains', value: 'x' }))[0],
    ).toMatchObject({
      path: '$.rules.op',
      message: expect.stringContaining('does not apply to number field') as string,
    });
    expect(issuesOf(def({ field: 'traits.purchases31d', op: 'gt', value: 1 }))[0]).toEqual({
      path: '$.rules.field',
      message: "unknown field 'traits.purchases31d' (did you mean 'traits.purchases30d'?)",
    });
    expect(
      issuesOf(def({ field: 'traits.categoryAffinity', op: 'gt', value: 1 }))[0].message,
    ).toContain('score map');
  });

  it('reports malformed conditions and headers', () => {
    expect(issuesOf(def({ or: [] }))).toEqual([
      { path: '$.rules.or', message: expect.stringContaining('non-empty array') as string },
    ]);
    expect(issuesOf(def({ and: [{ nope: 1 }] }))[0]).toMatchObject({
      path: '$.rules.and[0]',
      message: expect.stringContaining('unknown condition') as string,
    });
    expect(issuesOf(def({ and: [1] }))[0]).toMatchObject({
      path: '$.rules.and[0]',
      message: 'expected a condition object, got number 1',
    });
    expect(issuesOf(def({ not: { consent: 'subscribed' }, or: [] }))[0].message).toContain(
      'found or, not',
    );
    expect(issuesOf(def({ performed: { event: 'X', withinDays: 400 } }))[0]).toMatchObject({
      path: '$.rules.performed.withinDays',
    });
    expect(
      issuesOf(
        def({ performed: { event: 'X', where: [{ property: 'p', op: 'like', value: 1 }] } }),
      )[0],
    ).toMatchObject({
      path: '$.rules.performed.where[0].op',
    });
    expect(
      issuesOf({ id: 'Bad Id', name: 'x', rules: { consent: 'subscribed' }, extra: 1 }),
    ).toEqual([
      { path: '$.id', message: expect.stringContaining('lower-case') as string },
      { path: '$', message: "unknown key 'extra'" },
    ]);
    expect(issuesOf(def({ cluster: { model: 'm', index: 0 } }))[0]).toEqual({
      path: '$.rules.cluster.model',
      message: "unknown cluster model 'm'",
    });
  });
});

describe(validateDefinitions.name, () => {
  it('reports unknown segment references and duplicates', () => {
    const r = validateDefinitions([
      def({ and: [{ consent: 'subscribed' }, { inSegment: 'ghost' }] }, 'a'),
      def({ consent: 'unknown' }, 'a'),
    ]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      { segment: 'a', path: '$.id', message: "duplicate segment id 'a'" },
      { segment: 'a', path: '$.rules.and[1].inSegment', message: "unknown segment 'ghost'" },
    ]);
  });

  it('detects membership cycles, including self references', () => {
    const r = validateDefinitions([
      def({ inSegment: 'b' }, 'a'),
      def({ not: { inSegment: 'c' } }, 'b'),
      def({ or: [{ consent: 'subscribed' }, { inSegment: 'a' }] }, 'c'),
      def({ inSegment: 'd' }, 'd'),
    ]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      { segment: 'd', path: '$.rules.inSegment', message: "segment 'd' refers to itself" },
      {
        segment: 'c',
        path: '$.rules.or[1].inSegment',
        message: 'segment membership cycle: a → b → c → a',
      },
    ]);
  });

  it('prefixes per-definition issues with the segment id', () => {
    const r = validateDefinitions([{ name: 'no id', rules: {} }]);
    expect(r.ok ? [] : r.issues.map((i) => i.segment)).toEqual(['#0', '#0']);
  });
});
