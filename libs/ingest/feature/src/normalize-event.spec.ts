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
        timestamp: '2025-03-01T13:30:00+01:00',
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
      timestamp: '2025-03-01T12:30:00.000Z',
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
