import { applyEvent, emptyTraits, type ComputedTraits } from './traits-reducer';
import type { TraitEvent } from './commerce-event';

const P = '5b0c1c2e-8f0a-4a49-9d7e-1f4c3b2a1d00';

function track(event: string, properties: Record<string, unknown>, timestamp: string): TraitEvent {
  return { type: 'track', event, properties, timestamp };
}

function fold(events: TraitEvent[], start: ComputedTraits = emptyTraits(P)): ComputedTraits {
  return events.reduce(applyEvent, start);
}

describe(applyEvent.name, () => {
  it('bumps event_count and last_event_at for every event, of any type', () => {
    const t = fold([
      { type: 'identify', properties: {}, timestamp: '2026-01-01T10:00:00Z' },
      { type: 'page', properties: {}, timestamp: '2026-01-01T10:05:00Z' },
    ]);
    expect(t.eventCount).toBe(2);
    expect(t.lastEventAt?.toISOString()).toBe('2026-01-01T10:05:00.000Z');
    expect(t.cart).toEqual([]);
  });

  it('adds a cart line from product_id, name, price and quantity', () => {
    const t = fold([
      track(
        'Product Added',
        { product_id: 'sku-1', name: 'Shoe', price: 49.9, quantity: 2 },
        '2026-01-01T10:00:00Z',
      ),
    ]);
    expect(t.cart).toEqual([{ productId: 'sku-1', name: 'Shoe', price: 49.9, quantity: 2 }]);
    expect(t.lastCartActivityAt?.toISOString()).toBe('2026-01-01T10:00:00.000Z');
  });

  it('falls back to sku, defaults quantity to 1 and accepts numeric strings', () => {
    const t = fold([
      track('Product Added', { sku: 42, name: 'Hat', price: '12.50' }, '2026-01-01T10:00:00Z'),
    ]);
    expect(t.cart).toEqual([{ productId: '42', name: 'Hat', price: 12.5, quantity: 1 }]);
  });

  it('increments the quantity of a product already in the cart and keeps the newest price', () => {
    const t = fold([
      track('Product Added', { product_id: 'a', name: 'A', price: 10 }, '2026-01-01T10:00:00Z'),
      track('Product Added', { product_id: 'b', name: 'B', price: 5 }, '2026-01-01T10:01:00Z'),
      track('Product Added', { product_id: 'a', price: 9, quantity: 3 }, '2026-01-01T10:02:00Z'),
    ]);
    expect(t.cart).toEqual([
      { productId: 'a', name: 'A', price: 9, quantity: 4 },
      { productId: 'b', name: 'B', price: 5, quantity: 1 },
    ]);
  });

  it('ignores a cart event without a product id, but still counts it', () => {
    const t = fold([track('Product Added', { name: 'Mystery' }, '2026-01-01T10:00:00Z')]);
    expect(t.cart).toEqual([]);
    expect(t.eventCount).toBe(1);
    expect(t.lastCartActivityAt).toBeNull();
  });

  it('removes some units when Product Removed gives a quantity', () => {
    const t = fold([
      track(
        'Product Added',
        { product_id: 'a', name: 'A', price: 10, quantity: 3 },
        '2026-01-01T10:00:00Z',
      ),
      track('Product Removed', { product_id: 'a', quantity: 2 }, '2026-01-01T10:01:00Z'),
    ]);
    expect(t.cart).toEqual([{ productId: 'a', name: 'A', price: 10, quantity: 1 }]);
    const gone = applyEvent(
      t,
      track('Product Removed', { product_id: 'a', quantity: 5 }, '2026-01-01T10:02:00Z'),
    );
    expect(gone.cart).toEqual([]);
  });

  it('names a line by its id until an event names the product', () => {
    const t = fold([track('Product Added', { product_id: 'x1' }, '2026-01-01T10:00:00Z')]);
    expect(t.cart).toEqual([{ productId: 'x1', name: 'x1', price: null, quantity: 1 }]);
  });

  it('removes the whole line on Product Removed without a quantity', () => {
    const t = fold([
      track(
        'Product Added',
        { product_id: 'a', name: 'A', price: 10, quantity: 2 },
        '2026-01-01T10:00:00Z',
      ),
      track('Product Added', { product_id: 'b', name: 'B', price: 5 }, '2026-01-01T10:01:00Z'),
      track('Product Removed', { product_id: 'a' }, '2026-01-01T10:02:00Z'),
    ]);
    expect(t.cart.map((l) => l.productId)).toEqual(['b']);
  });

  it('clears the cart and adds revenue (or total) on Order Completed', () => {
    const t = fold([
      track('Product Added', { product_id: 'a', name: 'A', price: 10 }, '2026-01-01T10:00:00Z'),
      track(
        'Order Completed',
        { order_id: 'o1', revenue: 10.1, total: 99 },
        '2026-01-01T10:05:00Z',
      ),
      track('Order Completed', { order_id: 'o2', total: '20.2' }, '2026-01-02T10:05:00Z'),
      track('Order Completed', { order_id: 'o3' }, '2026-01-03T10:05:00Z'),
    ]);
    expect(t.cart).toEqual([]);
    expect(t.orderCount).toBe(3);
    expect(t.totalSpent).toBe(30.3);
    expect(t.lastOrderAt?.toISOString()).toBe('2026-01-03T10:05:00.000Z');
  });

  it('does not mutate its input', () => {
    const before = fold([
      track('Product Added', { product_id: 'a', name: 'A', price: 1 }, '2026-01-01T10:00:00Z'),
    ]);
    const snapshot = JSON.stringify(before);
    applyEvent(before, track('Product Added', { product_id: 'a' }, '2026-01-01T11:00:00Z'));
    expect(JSON.stringify(before)).toBe(snapshot);
  });

  describe('out-of-order events', () => {
    it('keeps last_event_at and last_order_at moving forward only', () => {
      const t = fold([
        track('Order Completed', { revenue: 5 }, '2026-01-02T00:00:00Z'),
        track('Order Completed', { revenue: 7 }, '2026-01-01T00:00:00Z'),
      ]);
      expect(t.lastEventAt?.toISOString()).toBe('2026-01-02T00:00:00.000Z');
      expect(t.lastOrderAt?.toISOString()).toBe('2026-01-02T00:00:00.000Z');
      // Counters are sums: a late order still counts.
      expect(t.orderCount).toBe(2);
      expect(t.totalSpent).toBe(12);
    });

    it('ignores a late cart change older than the last cart activity', () => {
      const t = fold([
        track('Product Added', { product_id: 'new', name: 'New' }, '2026-01-01T12:00:00Z'),
        track('Product Added', { product_id: 'late', name: 'Late' }, '2026-01-01T11:00:00Z'),
        track('Product Removed', { product_id: 'new' }, '2026-01-01T11:30:00Z'),
      ]);
      expect(t.cart.map((l) => l.productId)).toEqual(['new']);
      expect(t.lastCartActivityAt?.toISOString()).toBe('2026-01-01T12:00:00.000Z');
      expect(t.eventCount).toBe(3);
    });

    it('does not let a late order clear a cart filled after it', () => {
      const t = fold([
        track('Product Added', { product_id: 'a', name: 'A' }, '2026-01-01T12:00:00Z'),
        track('Order Completed', { revenue: 3 }, '2026-01-01T09:00:00Z'),
      ]);
      expect(t.cart.map((l) => l.productId)).toEqual(['a']);
      expect(t.orderCount).toBe(1);
    });
  });
});
