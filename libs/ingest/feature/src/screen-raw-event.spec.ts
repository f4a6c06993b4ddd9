import { MAX_EVENT_BYTES, screenRawEvent } from './screen-raw-event';

/** expect.stringMatching, typed as the string it stands for. */
const matching = (pattern: RegExp): string => expect.stringMatching(pattern) as string;

const track = (event: string, properties: unknown) => ({
  type: 'track',
  userId: 'u1',
  event,
  properties,
});

function issuesOf(payload: unknown) {
  const screened = screenRawEvent(payload);
  if (screened.ok) throw new Error('expected a rejection');
  return screened;
}

describe(screenRawEvent.name, () => {
  it('accepts valid e-commerce, email and consent events', () => {
    for (const payload of [
      track('Product Viewed', {
        product_id: 'p1',
        name: 'Tea',
        price: 3.5,
        category: 'Kitchen',
        brand: 'B',
      }),
      track('Product Added', { sku: 42, price: '9.99', quantity: '2' }),
      track('Product Removed', { productId: 'p1', quantity: 1 }),
      track('Cart Viewed', {
        cart_id: 'c1',
        products: [{ product_id: 'p1', price: 1, quantity: 3 }],
      }),
      track('Checkout Started', {
        order_id: 'o1',
        value: 10,
        revenue: 9,
        currency: 'USD',
        products: [],
      }),
      track('Order Completed', {
        order_id: 'o1',
        total: 27.5,
        revenue: '25',
        currency: 'usd',
        products: [
          {
            product_id: 'p1',
            sku: 's1',
            name: 'Tea',
            price: 12.5,
            quantity: 2,
            category: 'K',
            brand: 'B',
          },
        ],
      }),
      track('Email Delivered', { email_id: 'e1', campaign_id: 7 }),
      track('Email Opened', { email_id: 'e1', email_subject: 'Hi' }),
      track('Email Link Clicked', { email_id: 'e1', link_url: 'https://example.com/a?b=c' }),
      track('Email Bounced', { email_id: 'e1', reason: 'mailbox full' }),
      track('Unsubscribed', { list_id: 'news' }),
      track('Subscription Changed', { status: 'unsubscribed', channel: 'email' }),
      track('Something Custom', { anything: { goes: [1, 'x'] } }),
      { type: 'track', userId: 'u1', event: 'Cart Viewed' },
    ]) {
      const screened = screenRawEvent(payload);
      expect(screened.ok ? 'ok' : screened.issues).toBe('ok');
    }
  });

  it.each([
    [
      'a product event without any product id',
      track('Product Added', { name: 'Tea', price: 1 }),
      'properties.product_id',
      'product_id or sku is required',
    ],
    [
      'a price that is an object',
      track('Product Viewed', { product_id: 'p', price: { amount: 1 } }),
      'properties.price',
      'Expected a number or a numeric string',
    ],
    [
      'a non-positive quantity',
      track('Product Added', { product_id: 'p', quantity: 0 }),
      'properties.quantity',
      'Number must be greater than 0',
    ],
    [
      'a fractional quantity string',
      track('Product Added', { product_id: 'p', quantity: '1.5' }),
      'properties.quantity',
      'Expected a positive integer',
    ],
    [
      'products that is not a list',
      track('Order Completed', { order_id: 'o', products: { product_id: 'p' } }),
      'properties.products',
      'Expected array, received object',
    ],
    [
      'an order line without an id',
      track('Order Completed', { order_id: 'o', products: [{ product_id: 'p' }, { name: 'x' }] }),
      'properties.products.1.product_id',
      'product_id or sku is required',
    ],
    [
      'a brand that is not text',
      track('Cart Viewed', { products: [{ sku: 's', brand: 5 }] }),
      'properties.products.0.brand',
      'Expected string, received number',
    ],
    [
      'a clicked email without a link',
      track('Email Link Clicked', { email_id: 'e' }),
      'properties.link_url',
      'Required',
    ],
    [
      'a clicked link that is not a URL',
      track('Email Link Clicked', { link_url: 'nope' }),
      'properties.link_url',
      'Invalid url',
    ],
    [
      'an unknown subscription status',
      track('Subscription Changed', { status: 'maybe' }),
      'properties.status',
      matching(/^Invalid enum value/),
    ],
  ])('rejects %s as SCHEMA_VIOLATION naming %s', (_what, payload, path, message) => {
    const rejected = issuesOf(payload);
    expect(rejected.code).toBe('SCHEMA_VIOLATION');
    expect(rejected.issues).toContainEqual({ path, message });
  });

  it('rejects an event over 32 KB as EVENT_TOO_LARGE, saying its size', () => {
    const payload = track('Custom', { blob: 'x'.repeat(MAX_EVENT_BYTES) });
    const rejected = issuesOf(payload);
    expect(rejected.code).toBe('EVENT_TOO_LARGE');
    expect(rejected.issues).toEqual([
      {
        path: '(root)',
        message: matching(/^event is 3\d{4} bytes; the limit is 32768 bytes \(32 KB\)$/),
      },
    ]);
  });

  it('rejects an unknown type as UNSUPPORTED_TYPE, and a missing type as SCHEMA_VIOLATION', () => {
    expect(issuesOf({ type: 'screen', userId: 'u1' }).code).toBe('UNSUPPORTED_TYPE');
    expect(issuesOf({ type: 'group', anonymousId: 'a', groupId: 'g' }).code).toBe(
      'UNSUPPORTED_TYPE',
    );
    expect(issuesOf({ userId: 'u1' }).code).toBe('SCHEMA_VIOLATION');
  });

  it('never echoes property values in issues', () => {
    const rejected = issuesOf(
      track('Product Added', { product_id: { secret: 'ada@example.com' } }),
    );
    expect(JSON.stringify(rejected.issues)).not.toContain('ada@example.com');
  });
});
