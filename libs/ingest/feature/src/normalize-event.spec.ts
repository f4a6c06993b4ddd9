import { AcceptedEvent, RawEvent, parseContract } from '@kairos/contracts';
import { normalizeEvent, normalizeTraits } from './normalize-event';

const receivedAt = new Date('2025-03-01T12:00:00.000Z');
const options = { receivedAt, newEventId: () => 'generated-id' };

/** Parse like the consumer does, so tests feed normalizeEvent what it gets in production. */
function raw(payload: unknown): RawEvent {
  const parsed = parseContract(RawEvent, payload);
  if (!parsed.ok) throw new Error(parsed.summary);
  return parsed.value;
}

describe(normalizeEvent.name, () => {
  it('normalizes an identify: ids to strings, email canonical, names trimmed, time to UTC', () => {
    const event = normalizeEvent(
      raw({
        type: 'identify',
        messageId: 'm-1',
        userId: 42,
        anonymousId: 'anon-1',
        traits: {
          email: '  Ada@Example.COM ',
          firstName: ' Ada ',
          last_name: 'Lovelace  ',
          plan: 'pro',
        },
        context: { timezone: 'Europe/London' },
        timestamp: '2025-03-01T12:30:00+01:00',
      }),
      options,
    );
    expect(event).toEqual({
      eventId: 'm-1',
      type: 'identify',
      userId: '42',
      anonymousId: 'anon-1',
      traits: { email: 'ada@example.com', firstName: 'Ada', last_name: 'Lovelace', plan: 'pro' },
      properties: {},
      context: { timezone: 'Europe/London' },
      timestamp: '2025-03-01T11:30:00.000Z',
      receivedAt: '2025-03-01T12:00:00.000Z',
      warnings: [],
    });
    expect(parseContract(AcceptedEvent, event).ok).toBe(true);
  });

  it('carries a track event name and properties, and generates an id when messageId is missing', () => {
    const event = normalizeEvent(
      raw({
        type: 'track',
        anonymousId: 'anon-1',
        event: 'Product Added',
        properties: { product_id: 'p1', price: 9.5, quantity: 2 },
      }),
      options,
    );
    expect(event.eventId).toBe('generated-id');
    expect(event.event).toBe('Product Added');
    expect(event.properties).toEqual({ product_id: 'p1', price: 9.5, quantity: 2 });
    expect(event.traits).toEqual({});
    expect(event.userId).toBeUndefined();
    expect(parseContract(AcceptedEvent, event).ok).toBe(true);
  });

  it('keeps a page name and folds the page category into properties', () => {
    const event = normalizeEvent(
      raw({
        type: 'page',
        userId: 'u1',
        name: 'Home',
        category: 'Landing',
        properties: { path: '/' },
      }),
      options,
    );
    expect(event.name).toBe('Home');
    expect(event.properties).toEqual({ path: '/', category: 'Landing' });
  });

  it('keeps previousId on an alias', () => {
    const event = normalizeEvent(raw({ type: 'alias', userId: 'u1', previousId: 7 }), options);
    expect(event.previousId).toBe('7');
    expect(parseContract(AcceptedEvent, event).ok).toBe(true);
  });

  it('takes timestamp, else originalTimestamp, else receivedAt', () => {
    const base = { type: 'track', userId: 'u1', event: 'X' };
    expect(
      normalizeEvent(
        raw({
          ...base,
          timestamp: '2025-01-01T00:00:00Z',
          originalTimestamp: '2024-01-01T00:00:00Z',
        }),
        options,
      ).timestamp,
    ).toBe('2025-01-01T00:00:00.000Z');
    expect(
      normalizeEvent(raw({ ...base, originalTimestamp: '2024-06-01T10:00:00-0200' }), options)
        .timestamp,
    ).toBe('2024-06-01T12:00:00.000Z');
    expect(normalizeEvent(raw(base), options).timestamp).toBe(receivedAt.toISOString());
  });

  it('treats a null identifier as absent', () => {
    const event = normalizeEvent(
      raw({ type: 'track', userId: null, anonymousId: 'a1', event: 'X' }),
      options,
    );
    expect('userId' in event).toBe(false);
    expect(event.anonymousId).toBe('a1');
  });
});

describe(normalizeTraits.name, () => {
  it('drops an invalid email with a warning that does not contain the value', () => {
    const warnings: string[] = [];
    const traits = normalizeTraits({ email: 'ada at example dot com', firstName: 'Ada' }, warnings);
    expect(traits).toEqual({ firstName: 'Ada' });
    expect(warnings).toEqual(['traits.email dropped: not a valid email address']);
    expect(warnings.join(' ')).not.toContain('ada');
  });

  it('drops a non-string email and empty names', () => {
    const warnings: string[] = [];
    const traits = normalizeTraits({ email: 12, first_name: '   ', lastName: 'L' }, warnings);
    expect(traits).toEqual({ lastName: 'L' });
    expect(warnings).toEqual([
      'traits.email dropped: not a valid email address',
      'traits.first_name dropped: empty',
    ]);
  });

  it('leaves the input object untouched', () => {
    const input = { email: 'A@B.CO' };
    normalizeTraits(input, []);
    expect(input).toEqual({ email: 'A@B.CO' });
  });
});

describe('normalizeEvent (issue 3 rules)', () => {
  it('puts phones in E.164 with the default region and drops an invalid one with a warning', () => {
    const gb = normalizeEvent(
      raw({ type: 'identify', userId: 'u1', traits: { phone: '020 7946 0018' } }),
      { ...options, defaultRegion: 'GB' },
    );
    expect(gb.traits.phone).toBe('+442079460018');
    const bad = normalizeEvent(
      raw({ type: 'identify', userId: 'u1', traits: { phone: 'n/a', plan: 'x' } }),
      options,
    );
    expect(bad.traits).toEqual({ plan: 'x' });
    expect(bad.warnings).toEqual(['traits.phone dropped: not a valid phone number']);
  });

  it('tidies names: whitespace collapsed, one-case input title-cased, mixed case kept', () => {
    const event = normalizeEvent(
      raw({
        type: 'identify',
        userId: 'u1',
        traits: {
          firstName: '  ADA  ',
          lastName: 'van der Berg',
          name: 'ada   LOVELACE',
          last_name: 7,
        },
      }),
      options,
    );
    expect(event.traits).toEqual({
      firstName: 'Ada',
      lastName: 'van der Berg',
      name: 'ada LOVELACE',
    });
    expect(event.warnings).toEqual(['traits.last_name dropped: not a string']);
  });

  it('checks consent traits, dropping a value identity-resolution would not understand', () => {
    const ok = normalizeEvent(
      raw({
        type: 'identify',
        userId: 'u1',
        traits: { email_consent: ' Unsubscribed ', subscribed: 'false' },
      }),
      options,
    );
    expect(ok.traits).toEqual({ email_consent: 'unsubscribed', subscribed: false });
    const bad = normalizeEvent(
      raw({ type: 'identify', userId: 'u1', traits: { email_consent: 'maybe', subscribed: 1 } }),
      options,
    );
    expect(bad.traits).toEqual({});
    expect(bad.warnings).toEqual([
      'traits.email_consent dropped: expected subscribed, unsubscribed or unknown',
      'traits.subscribed dropped: expected true or false',
    ]);
  });

  it('clamps an event time beyond the skew allowance to receivedAt, with a warning', () => {
    const base = { type: 'track', userId: 'u1', event: 'X' };
    const soon = normalizeEvent(raw({ ...base, timestamp: '2025-03-01T12:04:00Z' }), options);
    expect(soon.timestamp).toBe('2025-03-01T12:04:00.000Z');
    expect(soon.warnings).toEqual([]);
    const far = normalizeEvent(raw({ ...base, timestamp: '2025-03-02T12:00:00Z' }), {
      ...options,
      maxFutureSkewSeconds: 60,
    });
    expect(far.timestamp).toBe(receivedAt.toISOString());
    expect(far.warnings).toEqual([
      'timestamp clamped to receivedAt: 86400 s in the future (allowed 60 s)',
    ]);
  });

  it('keeps the receivedAt the HTTP API stamped, unless it lies in the future', () => {
    const stamped = '2025-03-01T11:59:58.000Z';
    const base = { type: 'track', userId: 'u1', event: 'X' };
    expect(normalizeEvent(raw({ ...base, receivedAt: stamped }), options).receivedAt).toBe(stamped);
    expect(
      normalizeEvent(raw({ ...base, receivedAt: '2025-03-05T00:00:00Z' }), options).receivedAt,
    ).toBe(receivedAt.toISOString());
  });

  it('converts money strings and currencies on e-commerce events, dropping unusable values', () => {
    const event = normalizeEvent(
      raw({
        type: 'track',
        userId: 'u1',
        event: 'Order Completed',
        properties: {
          order_id: 'o1',
          revenue: '25.50',
          tax: '$2',
          currency: 'eur',
          products: [
            { product_id: 'p1', price: '10', quantity: '2' },
            { sku: 's2', price: 'free', quantity: 1 },
          ],
        },
      }),
      options,
    );
    expect(event.properties).toEqual({
      order_id: 'o1',
      revenue: 25.5,
      currency: 'EUR',
      products: [
        { product_id: 'p1', price: 10, quantity: 2 },
        { sku: 's2', quantity: 1 },
      ],
    });
    expect(event.warnings).toEqual([
      'properties.tax dropped: not a non-negative number',
      'properties.products.1.price dropped: not a non-negative number',
    ]);
    const badCurrency = normalizeEvent(
      raw({
        type: 'track',
        userId: 'u1',
        event: 'Product Added',
        properties: { sku: 's', currency: 'bitcoin' },
      }),
      options,
    );
    expect(badCurrency.properties).toEqual({ sku: 's' });
    expect(badCurrency.warnings).toEqual([
      'properties.currency dropped: not an ISO 4217 currency code',
    ]);
  });

  it('leaves the properties of free-form events alone', () => {
    const event = normalizeEvent(
      raw({
        type: 'track',
        userId: 'u1',
        event: 'Quote Requested',
        properties: { price: 'ask us', currency: 'xx' },
      }),
      options,
    );
    expect(event.properties).toEqual({ price: 'ask us', currency: 'xx' });
    expect(event.warnings).toEqual([]);
  });
});
