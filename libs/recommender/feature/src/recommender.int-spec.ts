import { KairosServiceModule } from '@kairos/service-kit';
import { randomUUID } from 'node:crypto';
import { type INestApplication } from '@nestjs/common';
import { loadConfig, type KairosConfig } from '@kairos/config';
import {
  ConsumerGroups,
  Topics,
  type ProductUpserted,
  type ResolvedEvent,
} from '@kairos/contracts';
import { HotKeys, createRedis, type Redis } from '@kairos/hot-store';
import { createDataSource, prepareDatabase, revertLastMigration } from '@kairos/persistence';
import { createService } from '@kairos/service-kit';
import {
  collectMessages,
  createNamespacedTopics,
  deleteNamespacedTopics,
  dropSchema,
  pgQuery,
  testKafka,
  testStack,
  uniqueName,
  waitFor,
  deleteKeysWithPrefix,
} from '@kairos/testing';
import type { Producer } from 'kafkajs';
import type { Recommendation } from './recommend';
import { loadRecommenderSettings } from './recommender.config';
import {
  RECOMMENDER_ENTITIES,
  RECOMMENDER_MIGRATIONS,
  RecommenderFeatureModule,
} from './recommender.module';

/** What apps/recommender composes (a library test must not import an app). */
function recommenderApp(config: KairosConfig) {
  // No schedule and no registry polling: this file tests the behaviour before any model exists.
  const settings = { ...loadRecommenderSettings({}), trainIntervalMs: 0, modelPollMs: 0 };
  return KairosServiceModule.register({
    config,
    feature: RecommenderFeatureModule.withSettings(settings),
    persistence: { entities: RECOMMENDER_ENTITIES, migrations: RECOMMENDER_MIGRATIONS },
  });
}

const ADMIN_TOKEN = 'test-admin-token-0123456789';

describe('recommender (integration)', () => {
  const ns = uniqueName('rec');
  const schema = uniqueName('rec');
  let topics: Awaited<ReturnType<typeof createNamespacedTopics>>;
  let config: KairosConfig;
  let app: INestApplication;
  let baseUrl: string;
  let producer: Producer;
  let deadLetters: Awaited<ReturnType<typeof collectMessages>>;
  let redis: Redis;
  let keys: HotKeys;
  let clockMs = Date.parse('2026-03-01T10:00:00Z');
  /** Product ids unique to this run (the tables are per-schema anyway; this keeps logs readable). */
  const sku = (name: string) => `${name}-${ns.slice(-8)}`;

  beforeAll(async () => {
    topics = await createNamespacedTopics(ns);
    config = loadConfig('recommender', {
      KAIROS_NAMESPACE: ns,
      KAIROS_PG_SCHEMA: schema,
      KAIROS_HTTP_PORT: '0',
      KAIROS_ADMIN_TOKEN: ADMIN_TOKEN,
      KAIROS_OUTBOX_POLL_MS: '50',
      KAIROS_KAFKA_RETRY_BACKOFF_MS: '20',
      KAIROS_KAFKA_MAX_ATTEMPTS: '2',
    });
    keys = new HotKeys(config.redis.keyPrefix);
    redis = createRedis(config.redis.url);
    deadLetters = await collectMessages([topics[Topics.DeadLetter]], uniqueName('collect'));
    app = await createService({
      config,
      module: recommenderApp(config),
      consumerGroup: ConsumerGroups.Recommender,
      logger: ['error', 'warn'],
    });
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    producer = testKafka().producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await deadLetters?.stop();
    await app?.close();
    if (redis) {
      await deleteKeysWithPrefix(redis, `${config.redis.keyPrefix}`);
      await redis.quit();
    }
    await dropSchema(schema);
    await deleteNamespacedTopics(ns).catch(() => undefined);
  });

  function resolved(
    profileId: string,
    event: string,
    properties: Record<string, unknown>,
  ): ResolvedEvent {
    clockMs += 60_000;
    const timestamp = new Date(clockMs).toISOString();
    return {
      eventId: randomUUID(),
      type: 'track',
      event,
      userId: `user-${profileId.slice(0, 8)}`,
      traits: {},
      properties,
      context: {},
      timestamp,
      receivedAt: timestamp,
      warnings: [],
      profileId,
    };
  }

  async function send(...events: ResolvedEvent[]) {
    await producer.send({
      topic: topics[Topics.EventsResolved],
      messages: events.map((e) => ({ key: e.profileId, value: JSON.stringify(e) })),
    });
  }

  async function publishProducts(...products: ProductUpserted[]) {
    await producer.send({
      topic: topics[Topics.CatalogProducts],
      messages: products.map((p) => ({ key: p.productId, value: JSON.stringify(p) })),
    });
    await waitFor(
      async () => {
        const rows = await pgQuery(
          `SELECT 1 FROM "${schema}".products WHERE product_id = ANY($1::text[])`,
          [products.map((p) => p.productId)],
        );
        return rows.length === products.length;
      },
      { description: 'catalog products stored' },
    );
  }

  async function topN(
    profileId: string,
    until: (recs: Recommendation[]) => boolean,
  ): Promise<Recommendation[]> {
    return waitFor(
      async () => {
        const raw = await redis.get(keys.recommendations(profileId));
        const recs = raw ? (JSON.parse(raw) as Recommendation[]) : undefined;
        return recs && until(recs) ? recs : undefined;
      },
      { description: `recommendations of ${profileId}` },
    );
  }

  const product = (productId: string, patch: Partial<ProductUpserted> = {}): ProductUpserted => ({
    productId,
    name: `Product ${productId}`,
    description: '',
    category: 'tea',
    brand: 'Kairos',
    price: 10,
    currency: 'EUR',
    available: true,
    ...patch,
  });

  it('records a Product Added and recommends the product with a reason, plus same-category items', async () => {
    const pot = sku('pot');
    const cup = sku('cup');
    await publishProducts(
      product(pot, { name: 'Tea pot', price: 24.5 }),
      product(cup, { name: 'Tea cup', price: 6 }),
      product(sku('gone'), { available: false }),
    );
    const p = randomUUID();
    const added = resolved(p, 'Product Added', {
      product_id: pot,
      name: 'Tea pot',
      price: 24.5,
      quantity: 1,
    });
    await send(added);

    const recs = await topN(p, (r) => r.some((x) => x.productId === pot));
    const rows = await pgQuery(
      `SELECT weight, purchase_count, last_at FROM "${schema}".interactions WHERE profile_id = $1 AND product_id = $2`,
      [p, pot],
    );
    expect(rows).toEqual([{ weight: 3, purchase_count: 0, last_at: new Date(added.timestamp) }]);
    expect(recs).toEqual([
      { productId: pot, name: 'Tea pot', price: 24.5, score: 1, reason: { model: 'popularity' } },
      {
        productId: cup,
        name: 'Tea cup',
        price: 6,
        score: 0.5,
        reason: { model: 'content', seedProductId: pot, seedName: 'Tea pot' },
      },
    ]);
  });

  it('excludes what the person bought, and learns products the catalog has not sent', async () => {
    const kettle = sku('kettle');
    const p = randomUUID();
    // Someone else makes the kettle popular; it is not in the catalog yet.
    const other = randomUUID();
    await send(
      resolved(other, 'Product Viewed', {
        product_id: kettle,
        name: 'Kettle',
        price: 40,
        currency: 'eur',
      }),
    );
    await topN(other, (r) => r.some((x) => x.productId === kettle));
    const learned = await pgQuery(
      `SELECT name, price, currency, available FROM "${schema}".products WHERE product_id = $1`,
      [kettle],
    );
    expect(learned).toEqual([{ name: 'Kettle', price: '40', currency: 'EUR', available: true }]);

    await send(resolved(p, 'Product Viewed', { product_id: kettle }));
    await topN(p, (r) => r.some((x) => x.productId === kettle));
    await send(
      resolved(p, 'Order Completed', {
        order_id: 'o-1',
        revenue: 40,
        products: [{ product_id: kettle, name: 'Kettle', price: 40 }],
      }),
    );

    const recs = await topN(p, (r) => !r.some((x) => x.productId === kettle));
    expect(recs.length).toBeGreaterThan(0);
    const [row] = await pgQuery<{ weight: number; purchase_count: number }>(
      `SELECT weight, purchase_count FROM "${schema}".interactions WHERE profile_id = $1 AND product_id = $2`,
      [p, kettle],
    );
    expect(row).toEqual({ weight: 6, purchase_count: 1 });
    const [pop] = await pgQuery<{ score: number }>(
      `SELECT score FROM "${schema}".product_popularity WHERE product_id = $1`,
      [kettle],
    );
    expect(pop.score).toBe(7);
  });

  it('serves the list over HTTP behind the admin token', async () => {
    const pot = sku('pot');
    const p = randomUUID();
    await send(resolved(p, 'Product Viewed', { product_id: pot }));
    const stored = await topN(p, (r) => r.length >= 2);

    const unauthorized = await fetch(`${baseUrl}/recommendations/${p}`);
    expect(unauthorized.status).toBe(401);
    const wrongToken = await fetch(`${baseUrl}/recommendations/${p}`, {
      headers: { authorization: 'Bearer wrong-token-wrong-token' },
    });
    expect(wrongToken.status).toBe(401);

    const auth = { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } };
    const ok = await fetch(`${baseUrl}/recommendations/${p}?n=1`, auth);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ profileId: p, recommendations: stored.slice(0, 1) });

    const all = await fetch(`${baseUrl}/recommendations/${p}`, auth);
    expect(((await all.json()) as { recommendations: unknown[] }).recommendations).toEqual(
      stored.slice(0, 3),
    );

    const badN = await fetch(`${baseUrl}/recommendations/${p}?n=zero`, auth);
    expect(badN.status).toBe(400);
    expect(((await badN.json()) as { message: string }).message).toMatch(
      /n must be a whole number/,
    );

    const none = await fetch(`${baseUrl}/recommendations/${randomUUID()}`, auth);
    expect(none.status).toBe(404);
    expect(((await none.json()) as { message: string }).message).toMatch(
      /No recommendations for profile/,
    );
  });

  it('treats a redelivered event as a no-op and dead-letters a broken one', async () => {
    const p = randomUUID();
    const cup = sku('cup');
    const view = resolved(p, 'Product Viewed', { product_id: cup });
    await send(view, view, resolved(p, 'Product Viewed', { product_id: sku('pot') }));
    await waitFor(
      async () =>
        (await pgQuery(`SELECT 1 FROM "${schema}".interactions WHERE profile_id = $1`, [p]))
          .length === 2,
      { description: 'both interactions recorded' },
    );
    const [row] = await pgQuery<{ weight: number }>(
      `SELECT weight FROM "${schema}".interactions WHERE profile_id = $1 AND product_id = $2`,
      [p, cup],
    );
    expect(row.weight).toBe(1);

    const marker = uniqueName('bad');
    await producer.send({
      topic: topics[Topics.CatalogProducts],
      messages: [{ key: marker, value: JSON.stringify({ productId: marker }) }],
    });
    const dead = await waitFor(() => deadLetters.messages.find((m) => m.key === marker), {
      description: 'dead-lettered product',
    });
    expect(dead.headers.kairos_dlq_reason_code).toBe('SCHEMA_VIOLATION');
  });
});

describe('recommender migrations (integration)', () => {
  const schema = uniqueName('recmig');
  afterAll(() => dropSchema(schema));

  const tables = async () =>
    (
      await pgQuery<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name <> $2 ORDER BY table_name',
        [schema, 'migrations'],
      )
    ).map((r) => r.table_name);

  it('go down and up again cleanly', async () => {
    const dataSource = createDataSource({
      url: testStack.postgresUrl,
      schema,
      entities: RECOMMENDER_ENTITIES,
      migrations: RECOMMENDER_MIGRATIONS,
    });
    try {
      const all = [
        'interaction_events',
        'interactions',
        'model_artifacts',
        'model_evaluations',
        'model_runs',
        'outbox',
        'processed_events',
        'product_popularity',
        'products',
      ];
      await prepareDatabase(dataSource);
      expect(await tables()).toEqual(all);
      await revertLastMigration(dataSource);
      expect(await tables()).toEqual([
        'interactions',
        'outbox',
        'processed_events',
        'product_popularity',
        'products',
      ]);
      await revertLastMigration(dataSource);
      expect(await tables()).toEqual([]);
      await prepareDatabase(dataSource);
      expect(await tables()).toEqual(all);
    } finally {
      await dataSource.destroy();
    }
  });
});
