import { applyEvent, emptyTraits, type TraitEvent } from './computed-traits';
import { mergeTraits } from './merge-traits';
import { DAY_MS } from './time';
import { toFacts } from './traits-facts';

const T0 = Date.UTC(2025, 0, 10, 9);
const ev = (event: string, days: number, properties: Record<string, unknown> = {}): TraitEvent => ({
  type: 'track',
  event,
  properties,
  timestamp: new Date(T0 + days * DAY_MS).toISOString(),
});

describe(mergeTraits.name, () => {
  const now = T0 + 10 * DAY_MS;
  const eventsA = [
    ev('Order Completed', 1, { revenue: 10, category: 'Outdoor' }),
    ev('Email Delivered', 2),
    ev('Email Opened', 2),
  ];
  const eventsB = [
    ev('Order Completed', 5, { revenue: 30 }),
    ev('Email Delivered', 6),
    ev('Product Viewed', 6, { category: 'Outdoor' }),
  ];
  const fold = (id: string, events: TraitEvent[]) =>
    events.reduce((t, e) => applyEvent(t, e, now), emptyTraits(id));

  it('equals the traits of one profile that saw both event streams', () => {
    const merged = mergeTraits(fold('a', eventsA), fold('b', eventsB));
    const single = fold('a', [...eventsA, ...eventsB]);
    expect(toFacts(null, merged, now)).toEqual(toFacts(null, single, now));
    expect(merged.profileId).toBe('a');
  });

  it('drops a cart that the other profile checked out later', () => {
    const a = fold('a', [ev('Product Added', 1, { product_id: 'x' })]);
    const b = fold('b', [ev('Order Completed', 2, { revenue: 5 })]);
    expect(mergeTraits(a, b).cart).toEqual([]);
    const c = fold('c', [ev('Product Added', 3, { product_id: 'y' })]);
    expect(mergeTraits(a, c).cart.map((l) => l.productId)).toEqual(['x', 'y']);
  });
});
