import { type INestApplication } from '@nestjs/common';
import { loadConfig, type KairosConfig } from '@kairos/config';
import {
  AcceptedEvent,
  ConsumerGroups,
  EventTypes,
  Headers,
  RejectedEvent,
  Topics,
  parseContract,
} from '@kairos/contracts';
import { HotKeys, createRedis, type Redis } from '@kairos/hot-store';
import { KairosServiceModule, createService } from '@kairos/service-kit';
import {
  collectMessages,
  createNamespacedTopics,
  deleteNamespacedTopics,
  testKafka,
  uniqueName,
  waitFor,
  type CollectedMessage,
  deleteKeysWithPrefix,
} from '@kairos/testing';
import type { Producer } from 'kafkajs';
import { IngestFeatureModule } from './ingest.module';
import { partitionKey } from './partition-key';

/** What the app composes (a library test must not import an app). */
function ingestApp(config: KairosConfig) {
  return KairosServiceModule.register({
    config,
    feature: IngestFeatureModule,
  });
}

describe('ingest (integration)', () => {
  const ns = uniqueName('ingest');
  let topics: Awaited<ReturnType<typeof createNamespacedTopics>>;
  let config: KairosConfig;
  let app: INestApplication;
  let producer: Producer;
  let collector: Awaited<ReturnType<typeof collectMessages>>;
  let redis: Redis;
  let keys: HotKeys;

  beforeAll(async () => {
    topics = await createNamespacedTopics(ns, [
      Topics.EventsRaw,
      Topics.EventsAccepted,
      Topics.EventsRejected,
      Topics.DeadLetter,
    ]);
    config = loadConfig('ingest', {
      KAIROS_NAMESPACE: ns,
      KAIROS_HTTP_PORT: '0',
      KAIROS_OUTBOX_POLL_MS: '50',
      KAIROS_KAFKA_RETRY_BACKOFF_MS: '20',
      KAIROS_KAFKA_MAX_ATTEMPTS: '2',
    });
    keys = new HotKeys(config.redis.keyPrefix);
    redis = createRedis(config.redis.url);
    collector = await collectMessages(
      [topics[Topics.EventsAccepted], topics[Topics.EventsRejected], topics[Topics.DeadLetter]],
      uniqueName('collect'),
    );
    app = await createService({
      config,
      module: ingestApp(config),
      consumerGroup: ConsumerGroups.Ingest,
      logger: ['error'],
    });
    producer = testKafka().producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await collector?.stop();
    await app?.close();
    if (redis) {
      await deleteKeysWithPrefix(redis, `${config.redis.keyPrefix}`);
      await redis.quit();
    }
    await deleteNamespacedTopics(ns).catch(() => undefined);
  });

  /** Produce raw events; the key is the identity so one user's events stay in order. */
  async function produceRaw(...events: Array<{ key: string; value: string }>) {
    await producer.send({ topic: topics[Topics.EventsRaw], messages: events });
  }

  function on(topic: string): CollectedMessage[] {
    return collector.messages.filter((m) => m.topic === topic);
  }

  function accepted(): Array<{ message: CollectedMessage; event: AcceptedEvent }> {
    return on(topics[Topics.EventsAccepted]).map((message) => {
      const parsed = parseContract(AcceptedEvent, JSON.parse(message.value ?? 'null'));
      if (!parsed.ok) throw new Error(`accepted event breaks its contract: ${parsed.summary}`);
      return { message, event: parsed.value };
    });
  }

  function rejected(): Array<{ message: CollectedMessage; event: RejectedEvent }> {
    return on(topics[Topics.EventsRejected]).map((message) => {
      const parsed = parseContract(RejectedEvent, JSON.parse(message.value ?? 'null'));
      if (!parsed.ok) throw new Error(`rejected event breaks its contract: ${parsed.summary}`);
      return { message, event: parsed.value };
    });
  }

  const acceptedById = (eventId: string) =>
    waitFor(() => accepted().find((a) => a.event.eventId === eventId), {
      description: `accepted ${eventId}`,
    });

  const rejectedWithOriginal = (marker: string) =>
    waitFor(() => rejected().find((r) => r.event.original.includes(marker)), {
      description: `rejection of ${marker}`,
    });

  it('accepts an identify with normalized traits and a hashed key', async () => {
    const userId = `${ns}-ada@example.com`;
    const messageId = uniqueName('identify');
    const before = Date.now();
    await produceRaw({
      key: userId,
      value: JSON.stringify({
        type: 'identify',
        messageId,
        userId,
        traits: {
          email: ' Ada@Example.COM ',
          firstName: ' Ada ',
          birthday: '1990-12-10',
          phone: 'n/a',
        },
        context: { timezone: 'Europe/London' },
        timestamp: '2025-03-01T13:30:00+01:00',
      }),
    });

    const { message, event } = await acceptedById(messageId);
    expect(event).toMatchObject({
      eventId: messageId,
      type: 'identify',
      userId,
      traits: { email: 'ada@example.com', firstName: 'Ada', birthday: '1990-12-10' },
      context: { timezone: 'Europe/London' },
      timestamp: '2025-03-01T12:30:00.000Z',
      // An unusable trait is dropped, the event kept; the warning names the field, not the value.
      warnings: ['traits.phone dropped: not a valid phone number'],
    });
    expect(Date.parse(event.receivedAt)).toBeGreaterThanOrEqual(before - 1000);
    // Keyed by a digest of the identity, never the identity itself (it can be an email).
    expect(message.key).toBe(partitionKey(userId));
    expect(message.headers[Headers.CeType]).toBe(EventTypes.AcceptedEvent);
    expect(message.headers[Headers.CeId]).toBe(messageId);
    // Remembered for the duplicate filter, with the configured TTL.
    const ttl = await redis.ttl(keys.dedupe(messageId));
    expect(ttl).toBeGreaterThan(86_000);
    expect(ttl).toBeLessThanOrEqual(86_400);
  });

  it('accepts a track keyed by anonymousId, with its event name and properties', async () => {
    const anonymousId = uniqueName('anon');
    const messageId = uniqueName('track');
    await produceRaw({
      key: anonymousId,
      value: JSON.stringify({
        type: 'track',
        messageId,
        anonymousId,
        event: 'Product Added',
        properties: { product_id: 'sku-1', name: 'Tea pot', price: 24.5, quantity: 1 },
        originalTimestamp: '2025-03-01T08:00:00-05:00',
      }),
    });

    const { message, event } = await acceptedById(messageId);
    expect(event).toMatchObject({
      type: 'track',
      anonymousId,
      event: 'Product Added',
      properties: { product_id: 'sku-1', name: 'Tea pot', price: 24.5, quantity: 1 },
      timestamp: '2025-03-01T13:00:00.000Z',
    });
    expect(event.userId).toBeUndefined();
    expect(message.key).toBe(partitionKey(anonymousId));
  });

  it('accepts an invalid email by dropping it with a warning that does not echo it', async () => {
    const messageId = uniqueName('bademail');
    await produceRaw({
      key: 'u-bad-email',
      value: JSON.stringify({
        type: 'identify',
        messageId,
        userId: 'u-bad-email',
        traits: { email: 'not-an-email', plan: 'pro' },
      }),
    });
    const { event } = await acceptedById(messageId);
    expect(event.traits).toEqual({ plan: 'pro' });
    expect(event.warnings).toEqual(['traits.email dropped: not a valid email address']);
  });

  it.each([
    [
      'missing identity',
      { type: 'track', event: 'Product Added' },
      'MISSING_IDENTITY',
      /^userId: userId or anonymousId is required$/,
    ],
    [
      'a track without event',
      { type: 'track', userId: 'u1' },
      'SCHEMA_VIOLATION',
      /^event: Required$/,
    ],
    [
      'a wrong field type',
      { type: 'identify', userId: 'u1', traits: ['x'] },
      'SCHEMA_VIOLATION',
      /^traits: Expected object, received array$/,
    ],
    [
      'an unsupported type',
      { type: 'screen', userId: 'u1' },
      'UNSUPPORTED_TYPE',
      /^type: Invalid discriminator value/,
    ],
    [
      'an Order Completed whose products break the e-commerce spec',
      {
        type: 'track',
        userId: 'u1',
        event: 'Order Completed',
        properties: {
          order_id: 'o1',
          revenue: 10,
          products: [{ product_id: 'p1' }, { name: 'no id' }],
        },
      },
      'SCHEMA_VIOLATION',
      /^properties\.products\.1\.product_id: product_id or sku is required$/,
    ],
    [
      'a Subscription Changed without a status',
      {
        type: 'track',
        userId: 'u1',
        event: 'Subscription Changed',
        properties: { channel: 'email' },
      },
      'SCHEMA_VIOLATION',
      /^properties\.status: Required$/,
    ],
    [
      'an event over 32 KB',
      { type: 'track', userId: 'u1', event: 'Big', properties: { blob: 'x'.repeat(33_000) } },
      'EVENT_TOO_LARGE',
      /^\(root\): event is \d+ bytes; the limit is 32768 bytes \(32 KB\)$/,
    ],
  ])('rejects %s with a reason naming the field', async (_what, payload, code, reason) => {
    const marker = uniqueName('bad');
    const value = JSON.stringify({ ...payload, messageId: marker });
    await produceRaw({ key: marker, value });

    const { message, event } = await rejectedWithOriginal(marker);
    expect(event.code).toBe(code);
    expect(event.reason).toMatch(reason);
    expect(event.issues.length).toBeGreaterThan(0);
    expect(JSON.parse(event.original)).toEqual(JSON.parse(value));
    expect(message.headers[Headers.CeType]).toBe(EventTypes.RejectedEvent);
    // A rejection is an outcome, not a failure: nothing goes to the generic dead-letter topic.
    expect(on(topics[Topics.DeadLetter]).some((m) => m.value?.includes(marker))).toBe(false);
    expect(accepted().some((a) => a.event.eventId === marker)).toBe(false);
  });

  it('publishes a duplicate messageId once', async () => {
    const userId = uniqueName('dup-user');
    const messageId = uniqueName('dup');
    const sentinel = uniqueName('after-dup');
    const event = {
      type: 'track',
      messageId,
      userId,
      event: 'Product Viewed',
      properties: { product_id: 'p1' },
    };
    // Same key → same partition → handled in order, so once the sentinel is accepted both
    // copies before it have been handled.
    await produceRaw(
      { key: userId, value: JSON.stringify(event) },
      { key: userId, value: JSON.stringify({ ...event, properties: { product_id: 'p2' } }) },
      { key: userId, value: JSON.stringify({ ...event, messageId: sentinel }) },
    );
    await acceptedById(sentinel);
    const copies = accepted().filter((a) => a.event.eventId === messageId);
    expect(copies).toHaveLength(1);
    expect(copies[0].event.properties).toEqual({ product_id: 'p1' });
  });

  it('flags (never drops) an Order Completed whose revenue is an outlier for its currency', async () => {
    const userId = uniqueName('orders');
    const order = (i: number, revenue: number | string) => ({
      key: userId,
      value: JSON.stringify({
        type: 'track',
        messageId: `${userId}-${i}`,
        userId,
        event: 'Order Completed',
        properties: { order_id: `o-${i}`, revenue, currency: 'eur' },
      }),
    });
    // 30 ordinary orders fill the window to the minimum; same key → handled in this order.
    await produceRaw(...Array.from({ length: 30 }, (_, i) => order(i, 40 + i)));
    await produceRaw(order(30, '9500.00'), order(31, 55));

    const huge = await acceptedById(`${userId}-30`);
    expect(huge.event.properties).toMatchObject({ revenue: 9500, currency: 'EUR' });
    expect(huge.event.context).toEqual({
      kairos: { outlier: { rule: 'modified-z', score: expect.any(Number) as number, samples: 30 } },
    });
    const ordinary = await acceptedById(`${userId}-31`);
    expect(ordinary.event.context).toEqual({});
    // The first 30 were judged against too few samples: none flagged.
    const early = accepted().filter(
      (a) => a.event.userId === userId && a.event.eventId !== `${userId}-30`,
    );
    expect(early.some((a) => 'kairos' in a.event.context)).toBe(false);
    expect(await redis.llen(`${config.redis.keyPrefix}ingest:order-values:EUR`)).toBe(32);
  });

  it('dead-letters bytes that are not JSON with reason code INVALID_JSON', async () => {
    const marker = uniqueName('notjson');
    await produceRaw({ key: marker, value: `{"type": "track", ${marker}` });
    const dead = await waitFor(
      () => on(topics[Topics.DeadLetter]).find((m) => m.value?.includes(marker)),
      { description: 'dead letter' },
    );
    expect(dead.headers[Headers.DlqReasonCode]).toBe('INVALID_JSON');
    expect(dead.headers[Headers.DlqOriginalTopic]).toBe(topics[Topics.EventsRaw]);
    expect(rejected().some((r) => r.event.original.includes(marker))).toBe(false);
  });
});
