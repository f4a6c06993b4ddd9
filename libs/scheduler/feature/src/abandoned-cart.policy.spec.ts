import {
  abandonedCartIdempotencyKey,
  activityTime,
  cartSignalOf,
  decideAbandonedCart,
} from './abandoned-cart.policy';

const H = 3_600_000;
const DELAY = 4 * H;
const t0 = new Date('2026-01-01T10:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const shoe = { productId: 'p1', name: 'Shoe', price: 50, quantity: 1 };
const sock = { productId: 'p2', name: 'Sock', price: 5, quantity: 1 };

describe(cartSignalOf.name, () => {
  it('turns Product Added into a line to add', () => {
    expect(
      cartSignalOf({
        type: 'track',
        event: 'Product Added',
        properties: { product_id: 'p1', name: 'Shoe', price: 50 },
      }),
    ).toEqual({
      kind: 'add',
      line: shoe,
    });
  });

  it('turns Product Removed into a removal', () => {
    expect(
      cartSignalOf({ type: 'track', event: 'Product Removed', properties: { product_id: 'p1' } }),
    ).toEqual({
      kind: 'remove',
      productId: 'p1',
      quantity: undefined,
    });
  });

  it('treats Cart Viewed and Checkout Started as activity, with the cart when listed', () => {
    expect(cartSignalOf({ type: 'track', event: 'Cart Viewed', properties: {} })).toEqual({
      kind: 'activity',
      products: undefined,
    });
    expect(
      cartSignalOf({
        type: 'track',
        event: 'Checkout Started',
        properties: { products: [{ product_id: 'p1', name: 'Shoe', price: 50 }] },
      }),
    ).toEqual({ kind: 'activity', products: [shoe] });
  });

  it('turns Order Completed into a purchase', () => {
    expect(cartSignalOf({ type: 'track', event: 'Order Completed', properties: {} })).toEqual({
      kind: 'purchase',
    });
  });

  it('ignores other events and non-track events', () => {
    expect(
      cartSignalOf({ type: 'track', event: 'Product Viewed', properties: {} }),
    ).toBeUndefined();
    expect(cartSignalOf({ type: 'page', event: 'Product Added', properties: {} })).toBeUndefined();
  });
});

describe(decideAbandonedCart.name, () => {
  it('arms a timer delay after the first Product Added', () => {
    expect(decideAbandonedCart({ kind: 'add', line: shoe }, undefined, t0, DELAY)).toEqual({
      action: 'arm',
      dueAt: at(DELAY),
      cart: [shoe],
    });
  });

  it('moves the armed timer on more activity and keeps the cart', () => {
    expect(
      decideAbandonedCart(
        { kind: 'add', line: sock },
        { dueAt: at(DELAY), cart: [shoe] },
        at(3 * H),
        DELAY,
      ),
    ).toEqual({
      action: 'move',
      dueAt: at(3 * H + DELAY),
      cart: [shoe, sock],
    });
  });

  it('never moves the timer earlier for an older event', () => {
    const decision = decideAbandonedCart(
      { kind: 'add', line: sock },
      { dueAt: at(3 * H + DELAY), cart: [shoe] },
      t0,
      DELAY,
    );
    expect(decision).toEqual({ action: 'move', dueAt: at(3 * H + DELAY), cart: [shoe, sock] });
  });

  it('removes a product and cancels when the cart becomes empty', () => {
    expect(
      decideAbandonedCart(
        { kind: 'remove', productId: 'p1', quantity: undefined },
        { dueAt: at(DELAY), cart: [shoe, sock] },
        at(H),
        DELAY,
      ),
    ).toEqual({ action: 'move', dueAt: at(H + DELAY), cart: [sock] });
    expect(
      decideAbandonedCart(
        { kind: 'remove', productId: 'p1', quantity: undefined },
        { dueAt: at(DELAY), cart: [shoe] },
        at(H),
        DELAY,
      ),
    ).toEqual({ action: 'cancel', reason: 'cart emptied' });
  });

  it('does nothing for a removal without an armed cart', () => {
    expect(
      decideAbandonedCart({ kind: 'remove', productId: 'p1', quantity: 1 }, undefined, t0, DELAY)
        .action,
    ).toBe('none');
  });

  it('arms on Checkout Started with products, but not for an empty cart', () => {
    expect(
      decideAbandonedCart({ kind: 'activity', products: [shoe] }, undefined, t0, DELAY),
    ).toEqual({
      action: 'arm',
      dueAt: at(DELAY),
      cart: [shoe],
    });
    expect(
      decideAbandonedCart({ kind: 'activity', products: undefined }, undefined, t0, DELAY),
    ).toEqual({
      action: 'none',
      reason: 'empty cart',
    });
  });

  it('moves on Cart Viewed without products, keeping the known cart', () => {
    expect(
      decideAbandonedCart(
        { kind: 'activity', products: undefined },
        { dueAt: at(DELAY), cart: [shoe] },
        at(H),
        DELAY,
      ),
    ).toEqual({
      action: 'move',
      dueAt: at(H + DELAY),
      cart: [shoe],
    });
  });

  it('cancels on purchase, and ignores a purchase with nothing armed', () => {
    expect(
      decideAbandonedCart({ kind: 'purchase' }, { dueAt: at(DELAY), cart: [shoe] }, at(H), DELAY),
    ).toEqual({
      action: 'cancel',
      reason: 'order completed',
    });
    expect(decideAbandonedCart({ kind: 'purchase' }, undefined, at(H), DELAY).action).toBe('none');
  });
});

describe(activityTime.name, () => {
  it('uses the event time', () => {
    expect(activityTime('2026-01-01T09:00:00Z', t0)).toEqual(new Date('2026-01-01T09:00:00Z'));
  });

  it('caps a time in the future at now', () => {
    expect(activityTime('2027-01-01T00:00:00Z', t0)).toEqual(t0);
  });
});

describe(abandonedCartIdempotencyKey.name, () => {
  it('is one key per profile and timer', () => {
    expect(abandonedCartIdempotencyKey('pr', 'tm')).toBe('abandoned_cart:pr:tm');
  });
});
