import { type INestApplication } from '@nestjs/common';
import { Analytics } from '@segment/analytics-node';
import { loadConfig, type KairosConfig } from '@kairos/config';
import { AcceptedEvent, ConsumerGroups, Topics, parseContract } from '@kairos/contracts';
import { createRedis, type Redis } from '@kairos/hot-store';
import { KairosServiceModule, createService } from '@kairos/service-kit';
import {
  collectMessages,
  createNamespacedTopics,
  deleteNamespacedTopics,
  uniqueName,
  waitFor,
  type CollectedMessage,
  deleteKeysWithPrefix,
} from '@kairos/testing';
import { IngestFeatureModule } from './ingest.module';

/** expect.stringMatching, typed as the string it stands for. */
const matching = (pattern: RegExp): string => expect.stringMatching(pattern) as string;

const WRITE_KEY = 'wk_test_primary';

/** What the app composes (a library test must not import an app). */
function ingestApp(config: KairosConfig) {
  return KairosServiceModule.register({
    config,
    feature: IngestFeatureModule,
  });
}

const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

describe('ingest HTTP API (integration)', () => {
  const ns = uniqueName('ingesthttp');
  let topics: Awaited<ReturnType<typeof createNamespacedTopics>>;
  let config: KairosConfig;
  let app: INestApplication;
  let url: string;
  let collector: Awaited<ReturnType<typeof collectMessages>>;
  let redis: Redis;
  const previousKeys = process.env.KAIROS_INGEST_WRITE_KEYS;

  beforeAll(async () => {
    // Jest gives each test file its own copy of process.env.
    process.env.KAIROS_INGEST_WRITE_KEYS = `other_key,${WRITE_KEY}`;
    topics = await createNamespacedTopics(ns, [
      Topics.EventsRaw,
      Topics.EventsAccepted,
      Topics.EventsRejected,
      Topics.DeadLetter,
    ]);
    config = loadConfig('ingest', {
      KAIROS_NAMESPACE: ns,
      KAIROS_HTTP_PORT: '0',
      KAIROS_KAFKA_RETRY_BACKOFF_MS: '20',
      KAIROS_KAFKA_MAX_ATTEMPTS: '2',
    });
    redis = createRedis(config.redis.url);
    collector = await collectMessages(
      [topics[Topics.EventsRaw], topics[Topics.EventsAccepted], topics[Topics.EventsRejected]],
      uniqueName('collect'),
    );
    app = await createService({
      config,
      module: ingestApp(config),
      consumerGroup: ConsumerGroups.Ingest,
      logger: ['error'],
    });
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    process.env.KAIROS_INGEST_WRITE_KEYS = previousKeys;
    await collector?.stop();
    await app?.close();
    if (redis) {
      await deleteKeysWithPrefix(redis, `${config.redis.keyPrefix}`);
      await redis.quit();
    }
    await deleteNamespacedTopics(ns).catch(() => undefined);
  });

  const on = (topic: string): CollectedMessage[] =>
    collector.messages.filter((m) => m.topic === topic);
  const raw = () =>
    on(topics[Topics.EventsRaw]).map(
      (m) => JSON.parse(m.value ?? 'null') as Record<string, unknown>,
    );
  const accepted = () =>
    on(topics[Topics.EventsAccepted]).map((m) => {
      const parsed = parseContract(AcceptedEvent, JSON.parse(m.value ?? 'null'));
      if (!parsed.ok) throw new Error(`accepted event breaks its contract: ${parsed.summary}`);
      return parsed.value;
    });
  const acceptedFor = (userId: string, count = 1) =>
    waitFor(
      () => {
        const found = accepted().filter((e) => e.userId === userId);
        return found.length >= count ? found : undefined;
      },
      { description: `${count} accepted events of ${userId}` },
    );

  async function post(
    path: string,
    body: unknown,
    init: { key?: string | null; raw?: string } = {},
  ) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (init.key !== null) headers.authorization = basic(init.key ?? WRITE_KEY);
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers,
      body: init.raw ?? JSON.stringify(body),
    });
    const text = await response.text();
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
  }

  /**
   * After a refused call, a valid call for the same user (same partition key, so the same
   * partition) proves by its arrival that nothing of the refused call was published before it.
   */
  async function expectNothingPublishedFor(userId: string) {
    const sentinel = uniqueName('sentinel');
    const ok = await post('/v1/track', { userId, event: 'Sentinel', messageId: sentinel });
    expect(ok.status).toBe(200);
    await waitFor(() => raw().find((e) => e.messageId === sentinel), { description: 'sentinel' });
    expect(
      raw()
        .filter((e) => e.userId === userId)
        .map((e) => e.messageId),
    ).toEqual([sentinel]);
  }

  describe('with the unmodified @segment/analytics-node client', () => {
    function client(writeKey: string) {
      return new Analytics({
        writeKey,
        host: url,
        flushAt: 1,
        maxRetries: 1,
        httpRequestTimeout: 10_000,
      });
    }
    /** One client call, resolved with the delivery error (or undefined) the client reports. */
    function deliver(send: (cb: (err?: unknown) => void) => void): Promise<unknown> {
      return new Promise((resolve) => send((err) => resolve(err)));
    }

    it('delivers an identify and a track that arrive accepted on events.accepted.v1', async () => {
      const analytics = client(WRITE_KEY);
      const userId = uniqueName('sdk-user');
      const identifyError = await deliver((cb) =>
        analytics.identify({ userId, traits: { email: 'Ada@Example.com', firstName: 'Ada' } }, cb),
      );
      const trackError = await deliver((cb) =>
        analytics.track(
          {
            userId,
            event: 'Product Added',
            properties: { product_id: 'p-1', price: 9.5, quantity: 1 },
          },
          cb,
        ),
      );
      await analytics.closeAndFlush();
      expect(identifyError).toBeUndefined();
      expect(trackError).toBeUndefined();

      const events = await acceptedFor(userId, 2);
      const identify = events.find((e) => e.type === 'identify');
      const track = events.find((e) => e.type === 'track');
      expect(identify?.traits).toMatchObject({ email: 'ada@example.com', firstName: 'Ada' });
      expect(identify?.context).toMatchObject({ library: { name: '@segment/analytics-node' } });
      expect(track).toMatchObject({
        event: 'Product Added',
        properties: { product_id: 'p-1', price: 9.5, quantity: 1 },
      });
      // The client's messageId is the event id, so client retries are deduplicated.
      expect(track?.eventId).toMatch(/.+/);
    });

    it('is refused with 401 for a wrong write key, and nothing is published', async () => {
      const analytics = client('not-a-key');
      const userId = uniqueName('sdk-badkey');
      const error = await deliver((cb) => analytics.track({ userId, event: 'Product Viewed' }, cb));
      await analytics.closeAndFlush();
      expect(String(error)).toMatch(/\[401\]/);
      await expectNothingPublishedFor(userId);
    });

    it('is refused with 400 for an event over 32 KB, and nothing is published', async () => {
      const analytics = client(WRITE_KEY);
      const userId = uniqueName('sdk-big');
      // The client's own size estimate counts only escaped bytes (and the letter "i"), so it lets
      // this 40 KB event through and the server's limit is what refuses it.
      const error = await deliver((cb) =>
        analytics.track({ userId, event: 'Big', properties: { blob: 'x'.repeat(40_000) } }, cb),
      );
      await analytics.closeAndFlush();
      expect(String(error)).toMatch(/\[400\]/);
      await expectNothingPublishedFor(userId);
    });
  });

  describe('with plain HTTP', () => {
    it.each([
      ['identify', { traits: { email: 'grace@example.com' } }],
      ['track', { event: 'Product Viewed', properties: { product_id: 'p-9' } }],
      ['page', { name: 'Home', properties: { path: '/' } }],
      ['alias', { previousId: 'anon-before' }],
    ])(
      'POST /v1/%s → 200 after the event is on events.raw.v1, with receivedAt and a messageId',
      async (call, fields) => {
        const userId = uniqueName(`http-${call}`);
        const before = Date.now();
        const response = await post(`/v1/${call}`, { userId, ...fields });
        expect(response).toEqual({ status: 200, body: { success: true } });

        // Acknowledged by Kafka before the 200: the raw event is there (the collector may lag).
        const published = await waitFor(() => raw().find((e) => e.userId === userId), {
          description: `raw ${call}`,
        });
        expect(published.type).toBe(call);
        expect(published.messageId).toEqual(matching(/.*/));
        expect(Date.parse(String(published.receivedAt))).toBeGreaterThanOrEqual(before - 1000);

        const [event] = await acceptedFor(userId);
        expect(event).toMatchObject({
          type: call,
          eventId: published.messageId,
          receivedAt: published.receivedAt,
        });
      },
    );

    it('POST /v1/batch publishes every event, merging the batch context under each event’s own', async () => {
      const userId = uniqueName('http-batch');
      const response = await post('/v1/batch', {
        batch: [
          { type: 'identify', userId, traits: { plan: 'pro' }, context: { ip: '203.0.113.9' } },
          { type: 'track', userId, event: 'Cart Viewed', messageId: uniqueName('cv') },
        ],
        context: { ip: '198.51.100.1', locale: 'en-GB' },
        writeKey: 'ignored-in-body',
      });
      expect(response).toEqual({ status: 200, body: { success: true } });
      const events = await acceptedFor(userId, 2);
      expect(events.find((e) => e.type === 'identify')?.context).toEqual({
        ip: '203.0.113.9',
        locale: 'en-GB',
      });
      expect(events.find((e) => e.type === 'track')?.context).toEqual({
        ip: '198.51.100.1',
        locale: 'en-GB',
      });
    });

    it('refuses a batch with bad events with 400 naming each index and field, publishing none', async () => {
      const userId = uniqueName('http-badbatch');
      const response = await post('/v1/batch', {
        batch: [
          { type: 'track', userId, event: 'Fine' },
          { type: 'track', userId },
          { type: 'identify', userId, traits: 'not-an-object' },
          { type: 'track', event: 'Nobody' },
          { type: 'screen', userId, name: 'Home' },
          'not an event',
        ],
      });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        success: false,
        statusCode: 400,
        error: 'Bad Request',
      });
      expect(response.body.message).toMatch(
        /^5 of 6 events in the batch are invalid; nothing was accepted\./,
      );
      expect(response.body.message).toContain('batch[1].event: Required');
      expect(response.body.issues).toEqual([
        { index: 1, code: 'SCHEMA_VIOLATION', path: 'event', message: 'Required' },
        {
          index: 2,
          code: 'SCHEMA_VIOLATION',
          path: 'traits',
          message: 'Expected object, received string',
        },
        {
          index: 3,
          code: 'MISSING_IDENTITY',
          path: 'userId',
          message: 'userId or anonymousId is required',
        },
        {
          index: 4,
          code: 'UNSUPPORTED_TYPE',
          path: 'type',
          message: matching(/^Invalid discriminator value/),
        },
        { index: 5, code: 'SCHEMA_VIOLATION', path: '(root)', message: 'Expected a JSON object' },
      ]);
      await expectNothingPublishedFor(userId);
    });

    it('refuses a batch event over 32 KB with 400 naming its index and size', async () => {
      const userId = uniqueName('http-bigevent');
      const response = await post('/v1/batch', {
        batch: [
          { type: 'track', userId, event: 'Small' },
          { type: 'track', userId, event: 'Big', properties: { blob: 'y'.repeat(33_000) } },
        ],
      });
      expect(response.status).toBe(400);
      expect(response.body.issues).toEqual([
        {
          index: 1,
          code: 'EVENT_TOO_LARGE',
          path: '(root)',
          message: matching(/^event is \d+ bytes; the limit is 32768 bytes \(32 KB\)$/),
        },
      ]);
      expect(response.body.message).toMatch(/batch\[1\]: event is \d+ bytes/);
      await expectNothingPublishedFor(userId);
    });

    it('refuses a body over 500 KB with a JSON 413', async () => {
      const userId = uniqueName('http-huge');
      const batch = Array.from({ length: 20 }, () => ({
        type: 'track',
        userId,
        event: 'Chunk',
        properties: { blob: 'z'.repeat(30_000) },
      }));
      const response = await post('/v1/batch', { batch });
      expect(response.status).toBe(413);
      expect(response.body).toMatchObject({ success: false, statusCode: 413 });
      expect(response.body.message).toMatch(/exceeds 512000 bytes \(500 KB\)/);
      await expectNothingPublishedFor(userId);
    });

    it('accepts a batch just under 500 KB (Nest’s default 100 KB parser is not in the way)', async () => {
      const userId = uniqueName('http-large-ok');
      const batch = Array.from({ length: 14 }, (_, i) => ({
        type: 'track',
        userId,
        event: 'Chunk',
        messageId: `${userId}-${i}`,
        properties: { blob: 'w'.repeat(30_000) },
      }));
      const response = await post('/v1/batch', { batch });
      expect(response).toEqual({ status: 200, body: { success: true } });
      await acceptedFor(userId, 14);
    });

    it('refuses malformed JSON with a JSON 400', async () => {
      const response = await post('/v1/track', undefined, { raw: '{"type": "track", "userId": ' });
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(/^Malformed JSON: the request body is not valid JSON/);
    });

    it('refuses a body that is not an object, and an empty batch', async () => {
      expect((await post('/v1/track', [1, 2])).body.message).toBe(
        'The request body must be a JSON object.',
      );
      const empty = await post('/v1/batch', { batch: [] });
      expect(empty.status).toBe(400);
      expect(empty.body.issues).toEqual([
        {
          code: 'SCHEMA_VIOLATION',
          path: 'batch',
          message: 'Expected a non-empty array of events',
        },
      ]);
    });

    it('refuses calls without or with a wrong write key with a JSON 401, before reading the body', async () => {
      const none = await post('/v1/track', { userId: 'u', event: 'X' }, { key: null });
      expect(none.status).toBe(401);
      expect(none.body.message).toMatch(/Missing write key/);
      const wrong = await post('/v1/track', undefined, { key: 'nope', raw: 'not even json' });
      expect(wrong).toEqual({
        status: 401,
        body: {
          success: false,
          statusCode: 401,
          error: 'Unauthorized',
          message: 'Invalid write key.',
        },
      });
    });
  });
});
