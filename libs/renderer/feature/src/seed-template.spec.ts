import { selectVariants, orderRules } from './domain/block-selection';
import { checkEmail } from './domain/quality-gate';
import { listUnsubscribeHeaders } from './email-headers';
import { EmailRenderer } from './email-renderer';
import { buildScope, factsOf, type ScopeInput } from './email-scope';
import { SEED_BRAND, SEED_RULES, SEED_TEMPLATE, seedBlockSnapshots } from './seed-content';
import { compileTemplate, type CompiledTemplate } from './template-compiler';
import { recipient } from './test-fixtures';

describe('abandoned-cart seed template', () => {
  let compiled: CompiledTemplate;
  const renderer = new EmailRenderer();
  const rules = orderRules(SEED_RULES.map((r, i) => ({ ...r, id: String(i), enabled: true })));
  const url = 'https://k.example/unsubscribe/d1';

  beforeAll(async () => {
    compiled = await compileTemplate(SEED_TEMPLATE.layout, seedBlockSnapshots());
  });

  const render = (overrides: Partial<ScopeInput> = {}) => {
    const input: ScopeInput = {
      recipient: recipient({ timezone: 'America/New_York' }),
      computedTraits: {},
      segments: [],
      cart: [
        { productId: 'p1', name: 'Trail Shoe', price: 89.5, quantity: 1 },
        { productId: 'p2', name: 'Wool Sock', price: null, quantity: 2 },
      ],
      recommendations: [
        {
          productId: 'r1',
          name: 'Rain Jacket',
          score: 0.9,
          reason: 'als',
          imageUrl: undefined,
          url: undefined,
        },
      ],
      unsubscribeUrl: url,
      data: {},
      brand: SEED_BRAND,
      // 23:30 UTC = 18:30 in New York (evening)
      now: new Date('2030-01-15T23:30:00Z'),
      ...overrides,
    };
    const facts = factsOf(input);
    const prepared = renderer.prepare('abandoned-cart@1', SEED_TEMPLATE.subject, compiled);
    const blocks = compiled.slots.map((s) => ({
      block: s.block,
      variants: Object.keys(s.variants),
    }));
    return renderer.render(
      prepared,
      buildScope(input, facts),
      selectVariants(blocks, rules, facts, input.now),
    );
  };

  it('renders greeting by local time, cart, suggestions and unsubscribe, and passes the gate', () => {
    const email = render();
    expect(email.subject).toBe('Ada, you left something in your cart');
    expect(email.html).toContain('Good evening, Ada!');
    for (const part of [email.html, email.text]) {
      expect(part).toContain('Trail Shoe');
      expect(part).toContain('Wool Sock');
      expect(part).toContain('Rain Jacket');
      expect(part).toContain(url);
    }
    expect(email.text).toContain('2 × Wool Sock');
    expect(email.text).toContain('You might also like');
    expect(email.text).not.toMatch(/<|mso/);
    expect(email.blocks.every((b) => !b.fellBack)).toBe(true);
    expect(
      checkEmail({ ...email, headers: listUnsubscribeHeaders(url), unsubscribeUrl: url }),
    ).toEqual([]);
  });

  it('shows the offer the first matching rule picks, in priority order', () => {
    const engagedNew = render({ computedTraits: { openRate7d: '0.8', daysSinceSignup: '3' } });
    expect(engagedNew.html).toContain('INSIDER15');
    expect(engagedNew.html).not.toContain('WELCOME10');
    expect(engagedNew.html).toContain('Complete your order now');
    expect(render({ computedTraits: { daysSinceSignup: '3' } }).html).toContain('WELCOME10');
    const gold = render({
      recipient: recipient({ traits: { loyaltyTier: 'Gold' } }),
      segments: ['recent-outdoor-buyers'],
      computedTraits: { openRate7d: '0.9' },
    });
    expect(gold.html).toContain('10% off camping gear');
    expect(gold.html).not.toContain('INSIDER15');
    expect(render().html).not.toMatch(/INSIDER15|WELCOME10|camping gear/);
  });

  it('picks the recommendations heading from purchase history', () => {
    expect(render({ computedTraits: { purchasedCategories: '["Smartphone"]' } }).html).toContain(
      'Latest Smartphone Deals!',
    );
    expect(render({ computedTraits: { purchasedCategories: '["Electronics"]' } }).html).toContain(
      'Browse Our Latest Electronics',
    );
  });

  it('leaves out the suggestions without any, greets "there", and escapes hostile names', () => {
    const email = render({ recommendations: [], recipient: recipient({ firstName: undefined }) });
    expect(email.html).not.toContain('You might also like');
    expect(email.html).toContain('there!');
    const hostile = render({ recipient: recipient({ firstName: '<img src=x onerror=alert(1)>' }) });
    expect(hostile.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(hostile.html).not.toContain('<img src=x');
  });
});
