import {
  applyEvent,
  emptyTraits,
  sweep,
  type ComputedTraits,
  type TraitEvent,
} from './computed-traits';
import { counterId, planCounters } from './event-counters';
import { DAY_MS } from './time';
import { counterFactKey, toFacts } from './traits-facts';

const T0 = Date.UTC(2025, 5, 1, 12); // 2025-06-01T12:00Z
const at = (days: number, hours = 0): string =>
  new Date(T0 + days * DAY_MS + hours * 3_600_000).toISOString();

function track(event: string, days: number, properties: Record<string, unknown> = {}): TraitEvent {
  return { type: 'track', event, properties, timestamp: at(days) };
}

function fold(
  events: TraitEvent[],
  now = T0 + 1000 * DAY_MS,
  base: ComputedTraits = emptyTraits('p1'),
): ComputedTraits {
  return events.reduce((t, e) => applyEvent(t, e, Math.max(now, Date.parse(e.timestamp))), base);
}

describe('applyEvent', () => {
  it('keeps recency, frequency, monetary, AOV and LTV', () => {
    const t = fold(
      [
        track('Order Completed', 0, { revenue: 100 }),
        track('Order Completed', 2, { total: '50' }),
        track('Order Refunded', 3, { revenue: 30 }),
      ],
      T0 + 3 * DAY_MS,
    );
    const f = toFacts(null, t, T0 + 10 * DAY_MS);
    expect(f['traits.orderCount']).toBe(2);
    expect(f['traits.ltv']).toBe(120);
    expect(f['traits.aov']).toBe(60);
    expect(f['traits.recencyDays']).toBe(8);
    expect(f['traits.firstOrderAt']).toBe(T0);
  });

  it('expires rolling windows as time passes with no event (and sweep trims the buckets)', () => {
    const now = T0 + 3 * DAY_MS;
    let t = emptyTraits('p1');
    for (const d of [0, 1, 3]) t = applyEvent(t, track('Order Completed', d, { revenue: 10 }), now);
    const facts = (days: number) => toFacts(null, t, T0 + days * DAY_MS);
    expect(facts(3)).toMatchObject({
      'traits.purchases7d': 3,
      'traits.purchases30d': 3,
      'traits.purchases90d': 3,
    });
    expect(facts(8)).toMatchObject({ 'traits.purchases7d': 1, 'traits.purchases30d': 3 });
    expect(facts(10)).toMatchObject({
      'traits.purchases7d': 0,
      'traits.purchases30d': 3,
      'traits.revenue30d': 30,
    });
    expect(facts(31)).toMatchObject({ 'traits.purchases30d': 1, 'traits.purchases90d': 3 });
    expect(facts(95)).toMatchObject({ 'traits.purchases90d': 0, 'traits.orderCount': 3 });

    const swept = sweep(t, T0 + 91 * DAY_MS);
    expect(swept.orders.days).toHaveLength(1);
    expect(sweep(swept, T0 + 91 * DAY_MS)).toBe(swept);
    expect(sweep(t, T0 + 5 * DAY_MS)).toBe(t);
  });

  it('computes email open/click rates over 7 and 30 days and last open/click', () => {
    const now = T0 + 20 * DAY_MS;
    const events: TraitEvent[] = [];
    for (let d = 0; d < 4; d++) events.push(track('Email Delivered', d * 5));
    events.push(
      track('Email Opened', 0),
      track('Email Opened', 15),
      track('Email Link Clicked', 15),
    );
    const t = fold(events, now);
    const f = toFacts(null, t, now);
    expect(f['traits.emailsDelivered30d']).toBe(4);
    expect(f['traits.openRate30d']).toBe(0.5);
    expect(f['traits.clickRate30d']).toBe(0.25);
    expect(f['traits.emailsDelivered7d']).toBe(1);
    expect(f['traits.openRate7d']).toBe(1);
    expect(f['traits.lastOpenAt']).toBe(Date.parse(at(15)));
    expect(toFacts(null, emptyTraits('x'), now)['traits.openRate30d']).toBeNull();
  });

  it('counts site visits per window', () => {
    const now = T0 + 40 * DAY_MS;
    const pages: TraitEvent[] = [0, 20, 35, 39].map((d) => ({
      type: 'page',
      properties: {},
      timestamp: at(d),
    }));
    const f = toFacts(null, fold(pages, now), now);
    expect(f).toMatchObject({ 'traits.visits7d': 2, 'traits.visits30d': 3, 'traits.visits90d': 4 });
  });

  it('decays category and brand affinities with the half-life, independently of arrival order', () => {
    const events = [
      track('Product Viewed', 0, { category: 'Outdoor', brand: 'Acme' }),
      track('Product Added', 30, { product_id: 'a', category: 'Electronics' }),
      track('Order Completed', 30, { products: [{ category: 'Electronics', brand: 'Zed' }] }),
    ];
    const now = T0 + 30 * DAY_MS;
    const inOrder = fold(events, now);
    const reversed = fold([...events].reverse(), now);
    const f = toFacts(null, inOrder, now);
    const g = toFacts(null, reversed, now);
    const outdoor = (f['traits.categoryAffinity'] as Record<string, number>).outdoor;
    // 30 days ≈ one half-life (evaluated at the end of the day: 30.5 days after the view).
    expect(outdoor).toBeCloseTo(Math.pow(2, -30.5 / 30), 5);
    expect(f['traits.topCategory']).toBe('Electronics');
    expect(f['traits.topBrand']).toBe('Zed');
    expect(g['traits.categoryAffinity']).toEqual(f['traits.categoryAffinity']);
  });

  it('handles out-of-order events: windows by event day, cart newest-wins, last times never go back', () => {
    const now = T0 + 10 * DAY_MS;
    let t = emptyTraits('p1');
    t = applyEvent(t, track('Product Added', 10, { product_id: 'new', price: 5 }), now);
    // Arrives later but happened earlier: counts in its own day, does not touch the newer cart.
    t = applyEvent(t, track('Order Completed', 2, { revenue: 20 }), now);
    t = applyEvent(t, track('Product Added', 1, { product_id: 'old' }), now);
    const f = toFacts(null, t, now);
    expect(f['traits.cartProductIds']).toEqual(['new']);
    expect(f['traits.purchases7d']).toBe(0);
    expect(f['traits.purchases30d']).toBe(1);
    expect(f['traits.lastEventAt']).toBe(Date.parse(at(10)));
    expect(f['traits.lastOrderAt']).toBe(Date.parse(at(2)));
    // An event older than the retention only updates lifetime values.
    const ancient = applyEvent(t, track('Order Completed', -200, { revenue: 5 }), now);
    expect(ancient.orderCount).toBe(2);
    expect(ancient.orders).toBe(t.orders);
  });

  it('keeps the cart: add, add again, partial remove, checkout', () => {
    const now = T0;
    let t = fold(
      [
        track('Product Added', 0, { product_id: 'a', price: 10, quantity: 2, name: 'A' }),
        track('Product Added', 0, { product_id: 'b', price: 3 }),
        track('Product Added', 0, { product_id: 'a', quantity: 1 }),
        track('Product Removed', 0, { product_id: 'b' }),
      ],
      now,
    );
    expect(toFacts(null, t, now)).toMatchObject({
      'traits.cartItemCount': 3,
      'traits.cartValue': 30,
    });
    t = applyEvent(t, track('Order Completed', 0, { revenue: 30 }), now);
    expect(t.cart).toEqual([]);
  });

  it('passes signup time and the newest loyalty tier through', () => {
    const now = T0 + 10 * DAY_MS;
    const identify = (days: number, traits: Record<string, unknown>): TraitEvent => ({
      type: 'identify',
      properties: {},
      traits,
      timestamp: at(days),
    });
    const t = fold(
      [
        identify(5, { loyaltyTier: 'gold', createdAt: at(0) }),
        identify(3, { loyalty_tier: 'silver' }),
      ],
      now,
    );
    const f = toFacts(null, t, now);
    expect(f['traits.loyaltyTier']).toBe('gold');
    expect(f['traits.daysSinceSignup']).toBe(10);
  });

  it('keeps compact per-event counters for the requirements it is given', () => {
    const where = [{ property: 'products.category', op: 'eq' as const, value: 'Outdoor' }];
    const id = counterId('Order Completed', where);
    const plan = planCounters([{ id, event: 'Order Completed', where, retentionDays: 30 }]);
    const now = T0 + 40 * DAY_MS;
    let t = emptyTraits('p1');
    for (const [d, category] of [
      [0, 'Outdoor'],
      [20, 'outdoor'],
      [39, 'Kitchen'],
      [39, 'Outdoor'],
    ] as const) {
      t = applyEvent(t, track('Order Completed', d, { products: [{ category }] }), now, {
        counters: plan,
      });
    }
    expect(t.counters[id].total).toBe(3);
    const windows = [
      { counterId: id, withinDays: 30 },
      { counterId: id, withinDays: null },
    ];
    const f = toFacts(null, t, now, { counterWindows: windows });
    expect(f[counterFactKey(id, 30)]).toBe(2);
    expect(f[counterFactKey(id, null)]).toBe(3);
    // The plan no longer needs the counter: sweep drops it.
    expect(sweep(t, now, { counters: planCounters([]) }).counters).toEqual({});
  });
});
