import { InteractionWeights, interactionSignals } from './interaction-signals';

describe(interactionSignals.name, () => {
  it('weighs a view, an add and a purchase by the configured weights', () => {
    const view = interactionSignals({
      type: 'track',
      event: 'Product Viewed',
      properties: { product_id: 'a' },
    });
    const add = interactionSignals({
      type: 'track',
      event: 'Product Added',
      properties: { sku: 7, name: 'Seven', price: '9.5' },
    });
    expect(view).toEqual([
      {
        productId: 'a',
        kind: 'view',
        weight: InteractionWeights['Product Viewed'],
        purchased: false,
        product: { productId: 'a' },
      },
    ]);
    expect(add).toEqual([
      {
        productId: '7',
        kind: 'cart',
        weight: 3,
        purchased: false,
        product: { productId: '7', name: 'Seven', price: 9.5 },
      },
    ]);
  });

  it('takes every product of an order as a purchase, once per product', () => {
    const signals = interactionSignals({
      type: 'track',
      event: 'Order Completed',
      properties: {
        currency: 'eur',
        products: [
          { product_id: 'b', name: 'B', price: 2, category: 'Tea' },
          { sku: 'a', name: 'A' },
          { name: 'no id' },
          'junk',
          { product_id: 'b', quantity: 2 },
        ],
      },
    });
    expect(signals).toEqual([
      {
        productId: 'a',
        kind: 'purchase',
        weight: 5,
        purchased: true,
        product: { productId: 'a', name: 'A', currency: 'EUR' },
      },
      {
        productId: 'b',
        kind: 'purchase',
        weight: 10,
        purchased: true,
        product: { productId: 'b', name: 'B', price: 2, category: 'Tea', currency: 'EUR' },
      },
    ]);
  });

  it('takes a click in an email that names a product as an email_click', () => {
    const [click] = interactionSignals({
      type: 'track',
      event: 'Email Link Clicked',
      properties: { email_id: 'm-1', link_url: 'https://shop.example/p/a', product_id: 'a' },
    });
    expect(click).toMatchObject({ productId: 'a', kind: 'email_click', purchased: false });
    expect(
      interactionSignals({
        type: 'track',
        event: 'Email Link Clicked',
        properties: { link_url: 'https://shop.example/' },
      }),
    ).toEqual([]);
  });

  it('ignores events that say nothing about a product', () => {
    expect(interactionSignals({ type: 'track', event: 'Product Viewed', properties: {} })).toEqual(
      [],
    );
    expect(
      interactionSignals({ type: 'track', event: 'Signed Up', properties: { product_id: 'a' } }),
    ).toEqual([]);
    expect(
      interactionSignals({
        type: 'page',
        event: 'Product Viewed',
        properties: { product_id: 'a' },
      }),
    ).toEqual([]);
    expect(
      interactionSignals({
        type: 'track',
        event: 'Order Completed',
        properties: { products: 'nope' },
      }),
    ).toEqual([]);
  });

  it('accepts other weights', () => {
    const weights = {
      'Product Viewed': 0.5,
      'Product Added': 2,
      'Order Completed': 4,
      'Email Link Clicked': 1,
    };
    expect(
      interactionSignals(
        { type: 'track', event: 'Product Viewed', properties: { product_id: 'a' } },
        weights,
      )[0].weight,
    ).toBe(0.5);
  });
});
