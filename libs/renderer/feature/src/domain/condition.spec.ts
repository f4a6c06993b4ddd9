import { evaluateCondition, parseCondition, type Facts } from './condition';

const now = new Date('2030-06-01T12:00:00Z');
const facts: Facts = {
  traits: {
    openRate7d: 0.62,
    loyaltyTier: 'Gold',
    daysSinceSignup: '12',
    lastOrderAt: '2030-05-20T00:00:00Z',
    categoryAffinity: { Outdoor: 0.7 },
    purchasedCategories: ['Smartphone', 'Outdoor'],
  },
  profile: { firstName: 'Ada', timezone: 'Europe/Berlin' },
  segments: ['repeat-buyers'],
};
const holds = (c: unknown) => {
  const parsed = parseCondition(c);
  if (!parsed.ok) throw new Error(parsed.error);
  return evaluateCondition(parsed.value, facts, now);
};

describe(evaluateCondition.name, () => {
  it('compares numbers, numeric strings and text (case-insensitive)', () => {
    expect(holds({ field: 'traits.openRate7d', op: 'gt', value: 0.5 })).toBe(true);
    expect(holds({ field: 'traits.openRate7d', op: 'lte', value: 0.5 })).toBe(false);
    expect(holds({ field: 'traits.daysSinceSignup', op: 'lte', value: 30 })).toBe(true);
    expect(holds({ field: 'traits.loyaltyTier', op: 'eq', value: 'gold' })).toBe(true);
    expect(holds({ field: 'traits.loyaltyTier', op: 'in', value: ['Silver', 'Gold'] })).toBe(true);
  });

  it('reads nested traits, segments and lists', () => {
    expect(holds({ field: 'traits.categoryAffinity.Outdoor', op: 'gte', value: 0.5 })).toBe(true);
    expect(holds({ field: 'segments', op: 'contains', value: 'repeat-buyers' })).toBe(true);
    expect(
      holds({ field: 'traits.purchasedCategories', op: 'contains', value: 'Smartphone' }),
    ).toBe(true);
    expect(holds({ field: 'profile.timezone', op: 'exists' })).toBe(true);
  });

  it('handles time windows', () => {
    expect(holds({ field: 'traits.lastOrderAt', op: 'within_days', value: 30 })).toBe(true);
    expect(holds({ field: 'traits.lastOrderAt', op: 'within_days', value: 5 })).toBe(false);
    expect(holds({ field: 'traits.lastOrderAt', op: 'older_than_days', value: 5 })).toBe(true);
  });

  it('combines with all/any/not; a missing fact is false, never an error', () => {
    expect(
      holds({
        all: [
          { field: 'traits.loyaltyTier', op: 'eq', value: 'Gold' },
          {
            any: [
              { field: 'segments', op: 'contains', value: 'x' },
              { field: 'traits.lastOrderAt', op: 'within_days', value: 30 },
            ],
          },
        ],
      }),
    ).toBe(true);
    expect(holds({ field: 'traits.missing', op: 'gt', value: 1 })).toBe(false);
    expect(holds({ not: { field: 'traits.missing', op: 'exists' } })).toBe(true);
    expect(holds({ field: 'traits.constructor', op: 'exists' })).toBe(false);
  });
});

describe(parseCondition.name, () => {
  it('refuses unknown fields, ops, missing values and oversized trees', () => {
    expect(parseCondition({ field: 'email', op: 'eq', value: 1 }).ok).toBe(false);
    expect(parseCondition({ field: 'traits.a', op: 'matches', value: 1 }).ok).toBe(false);
    const notNumber = parseCondition({ field: 'traits.a', op: 'gt', value: 'x' });
    expect(notNumber.ok ? '' : notNumber.error).toMatch(/needs a number/);
    let deep: unknown = { field: 'traits.a', op: 'exists' };
    for (let i = 0; i < 8; i++) deep = { not: deep };
    const tooDeep = parseCondition(deep);
    expect(tooDeep.ok ? '' : tooDeep.error).toMatch(/deeper/);
  });
});
