import { orderRules, selectVariants, type ContentRule } from './block-selection';

const rule = (over: Partial<ContentRule>): ContentRule => ({
  id: over.name ?? 'r',
  name: 'r',
  block: 'offer-banner',
  variant: 'exclusive-offer',
  priority: 10,
  condition: { field: 'traits.openRate7d', op: 'gt', value: 0.5 },
  enabled: true,
  ...over,
});
const blocks = [
  { block: 'offer-banner', variants: ['default', 'exclusive-offer', 'welcome-discount'] },
  { block: 'header', variants: ['default'] },
];
const facts = (traits: Record<string, unknown>) => ({ traits, profile: {}, segments: [] });
const now = new Date('2030-01-01T00:00:00Z');

describe(selectVariants.name, () => {
  const rules = orderRules([
    rule({
      name: 'welcome',
      variant: 'welcome-discount',
      priority: 30,
      condition: { field: 'traits.daysSinceSignup', op: 'lte', value: 30 },
    }),
    rule({ name: 'engaged', priority: 20 }),
  ]);

  it('takes the first matching rule in priority order', () => {
    const both = selectVariants(blocks, rules, facts({ openRate7d: 0.9, daysSinceSignup: 3 }), now);
    expect(both['offer-banner']).toEqual({
      variant: 'exclusive-offer',
      rule: { id: 'engaged', name: 'engaged' },
    });
    expect(both['header']).toEqual({ variant: 'default', rule: undefined });
    expect(
      selectVariants(blocks, rules, facts({ daysSinceSignup: 3 }), now)['offer-banner'].variant,
    ).toBe('welcome-discount');
    expect(selectVariants(blocks, rules, facts({}), now)['offer-banner'].variant).toBe('default');
  });

  it('skips disabled rules and rules naming a variant the version lacks', () => {
    const skipped = orderRules([
      rule({ name: 'a', priority: 1, enabled: false }),
      rule({ name: 'b', priority: 2, variant: 'not-in-this-version' }),
      rule({ name: 'c', priority: 3, variant: 'welcome-discount' }),
    ]);
    expect(
      selectVariants(blocks, skipped, facts({ openRate7d: 0.9 }), now)['offer-banner'].rule?.name,
    ).toBe('c');
  });

  it('orders ties by name', () => {
    expect(
      orderRules([rule({ name: 'b' }), rule({ name: 'a' }), rule({ name: 'c', priority: 1 })]).map(
        (r) => r.name,
      ),
    ).toEqual(['c', 'a', 'b']);
  });
});
