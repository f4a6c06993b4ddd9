import { KairosServiceModule } from '@kairos/service-kit';
import { randomUUID } from 'node:crypto';
import { type INestApplication } from '@nestjs/common';
import { loadConfig, type KairosConfig } from '@kairos/config';
import {
  ConsumerGroups,
  EventTypes,
  Headers,
  MembershipChanged,
  Topics,
  parseContract,
  type ProfilesMerged,
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
  type CollectedMessage,
} from '@kairos/testing';
import type { Producer } from 'kafkajs';
import {
  SEGMENTATION_ENTITIES,
  SEGMENTATION_MIGRATIONS,
  SegmentationFeatureModule,
} from './segmentation.module';

/** What apps/segmentation composes (a library test must not import an app). */
function segmentationApp(config: KairosConfig) {
  return KairosServiceModule.register({
    config,
    feature: SegmentationFeatureModule,
    persistence: { entities: SEGMENTATION_ENTITIES, migrations: SEGMENTATION_MIGRATIONS },
  });
}

interface TraitsRow extends Record<string, unknown> {
  event_count: number;
  order_count: number;
  total_spent: string;
  cart: Array<{ productId: string; name: string; price: number | null; quantity: number }>;
  last_event_at: Date | null;
  last_order_at: Date | null;
}

describe('segmentation (integration)', () => {
  const ns = uniqueName('seg');
  const schema = uniqueName('seg');
  let topics: Awaited<ReturnType<typeof createNamespacedTopics>>;
  let config: KairosConfig;
  let app: INestApplication;
  let producer: Producer;
  let collector: Awaited<ReturnType<typeof collectMessages>>;
  let redis: Redis;
  let keys: HotKeys;
  /** Event times move forward from here, one minute per event. */
  let clockMs = Date.parse('2026-03-01T10:00:00Z');

  beforeAll(async () => {
    topics = await createNamespacedTopics(ns);
    config = loadConfig('segmentation', {
      KAIROS_NAMESPACE: ns,
      KAIROS_PG_SCHEMA: schema,
      KAIROS_HTTP_PORT: '0',
      KAIROS_OUTBOX_POLL_MS: '50',
      KAIROS_KAFKA_RETRY_BACKOFF_MS: '20',
      KAIROS_KAFKA_MAX_ATTEMPTS: '2',
    });
    keys = new HotKeys(config.redis.keyPrefix);
    redis = createRedis(config.redis.url);
    collector = await collectMessages(
      [topics[Topics.SegmentMemberships], topics[Topics.DeadLetter]],
      uniqueName('collect'),
    );
    app = await createService({
      config,
      module: segmentationApp(config),
      consumerGroup: ConsumerGroups.Segmentation,
      logger: ['error', 'warn'],
    });
    producer = testKafka().producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await collector?.stop();
    await app?.close();
    if (redis) {
      const leftovers = await redis.keys(`${config.redis.keyPrefix}*`);
      if (leftovers.length) await redis.del(...leftovers);
      await redis.quit();
    }
    await dropSchema(schema);
    await deleteNamespacedTopics(ns).catch(() => undefined);
  });

  function resolved(profileId: string, patch: Partial<ResolvedEvent> = {}): ResolvedEvent {
    clockMs += 60_000;
    const timestamp = new Date(clockMs).toISOString();
    return {
      eventId: randomUUID(),
      type: 'track',
      userId: `user-${profileId.slice(0, 8)}`,
      traits: {},
      properties: {},
      context: {},
      timestamp,
      receivedAt: timestamp,
      warnings: [],
      profileId,
      ...patch,
    };
  }

  async function send(...events: ResolvedEvent[]) {
    await producer.send({
      topic: topics[Topics.EventsResolved],
      messages: events.map((e) => ({ key: e.profileId, value: JSON.stringify(e) })),
    });
  }

  async function traitsRow(profileId: string): Promise<TraitsRow | undefined> {
    const rows = await pgQuery<TraitsRow>(
      `SELECT * FROM "${schema}".computed_traits WHERE profile_id = $1`,
      [profileId],
    );
    return rows[0];
  }

  const traitsWithEventCount = (profileId: string, n: number) =>
    waitFor(
      async () => {
        const row = await traitsRow(profileId);
        return row && row.event_count === n ? row : undefined;
      },
      { description: `traits of ${profileId} with event_count ${n}` },
    );

  function changesOf(
    profileId: string,
  ): Array<{ message: CollectedMessage; change: MembershipChanged }> {
    return collector.messages
      .filter((m) => m.topic === topics[Topics.SegmentMemberships] && m.key === profileId)
      .map((message) => {
        const parsed = parseContract(MembershipChanged, JSON.parse(message.value ?? 'null'));
        if (!parsed.ok)
          throw new Error(`membership message breaks its contract: ${parsed.summary}`);
        return { message, change: parsed.value };
      });
  }

  const summary = (profileId: string) =>
    changesOf(profileId).map((c) => `${c.change.change} ${c.change.segmentId}`);

  it('keeps traits in Postgres and Redis, and announces entered once and exited on order', async () => {
    const p = randomUUID();
    const identify = resolved(p, { type: 'identify', traits: { firstName: 'Ada' } });
    const added = resolved(p, {
      event: 'Product Added',
      properties: { product_id: 'sku-1', name: 'Tea pot', price: 24.5, quantity: 2 },
    });
    await send(identify, added);

    const row = await traitsWithEventCount(p, 2);
    expect(row.cart).toEqual([{ productId: 'sku-1', name: 'Tea pot', price: 24.5, quantity: 2 }]);
    expect(row.order_count).toBe(0);
    expect(row.last_event_at?.toISOString()).toBe(added.timestamp);

    const entered = await waitFor(() => changesOf(p)[0], { description: 'entered has-open-cart' });
    expect(entered.change).toEqual({
      profileId: p,
      segmentId: 'has-open-cart',
      change: 'entered',
      at: added.timestamp,
      causeId: added.eventId,
    });
    expect(entered.message.headers[Headers.CeType]).toBe(EventTypes.MembershipChanged);

    const hash = await waitFor(
      async () => {
        const h = await redis.hgetall(keys.traits(p));
        return h.eventCount === '2' ? h : undefined;
      },
      { description: 'traits hash in Redis' },
    );
    expect(hash).toMatchObject({
      profileId: p,
      eventCount: '2',
      orderCount: '0',
      totalSpent: '0',
      cartItemCount: '2',
    });
    expect(JSON.parse(hash.cart)).toEqual([
      { productId: 'sku-1', name: 'Tea pot', price: 24.5, quantity: 2 },
    ]);
    expect(hash.lastCartActivityAt).toBe(added.timestamp);
    expect(await redis.smembers(keys.segments(p))).toEqual(['has-open-cart']);

    // A second add keeps the profile in the segment: nothing is announced for it.
    await send(
      resolved(p, {
        event: 'Product Added',
        properties: { product_id: 'sku-2', name: 'Cup', price: 5 },
      }),
    );
    const two = await traitsWithEventCount(p, 3);
    expect(two.cart.map((l) => l.productId)).toEqual(['sku-1', 'sku-2']);

    // The order empties the cart. Its "exited" comes after anything the second add could have
    // emitted (same key, same partition, outbox in commit order), so the list is complete then.
    const order = resolved(p, {
      event: 'Order Completed',
      properties: { order_id: 'o-1', revenue: 54, total: 60 },
    });
    await send(order);
    await waitFor(() => changesOf(p).length >= 2, { description: 'exited has-open-cart' });
    expect(summary(p)).toEqual(['entered has-open-cart', 'exited has-open-cart']);
    expect(changesOf(p)[1].change.causeId).toBe(order.eventId);

    const after = await traitsWithEventCount(p, 4);
    expect(after).toMatchObject({ order_count: 1, cart: [] });
    expect(Number(after.total_spent)).toBe(54);
    await waitFor(async () => (await redis.hget(keys.traits(p), 'orderCount')) === '1', {
      description: 'orderCount in Redis',
    });
    expect(await redis.exists(keys.segments(p))).toBe(0);
  });

  it('treats a redelivered event id as a no-op', async () => {
    const p = randomUUID();
    const order = resolved(p, { event: 'Order Completed', properties: { revenue: 10 } });
    await send(order);
    await traitsWithEventCount(p, 1);

    // The duplicate, then a new event: once the new one is counted, the duplicate (earlier on the
    // same partition) has been handled too.
    await send(order, resolved(p, { type: 'page', name: 'Home' }));
    const row = await traitsWithEventCount(p, 2);
    expect(row.order_count).toBe(1);
    expect(Number(row.total_spent)).toBe(10);
    const claims = await pgQuery(`SELECT 1 FROM "${schema}".processed_events WHERE event_id = $1`, [
      order.eventId,
    ]);
    expect(claims).toHaveLength(1);
  });

  it('moves a merged profile into the survivor and re-evaluates both', async () => {
    const survivor = randomUUID();
    const merged = randomUUID();
    await send(resolved(survivor, { event: 'Order Completed', properties: { revenue: 20 } }));
    await send(
      resolved(merged, { event: 'Order Completed', properties: { revenue: 30 } }),
      resolved(merged, {
        event: 'Product Added',
        properties: { product_id: 'sku-9', name: 'Kettle', price: 40 },
      }),
    );
    await traitsWithEventCount(survivor, 1);
    await traitsWithEventCount(merged, 2);
    await waitFor(() => summary(merged).includes('entered has-open-cart'), {
      description: 'merged profile enters has-open-cart',
    });
    await waitFor(async () => (await redis.exists(keys.traits(merged))) === 1, {
      description: 'merged profile in Redis',
    });

    const merge: ProfilesMerged = {
      mergeId: randomUUID(),
      survivorProfileId: survivor,
      mergedProfileId: merged,
      rule: 'shared-identifier:email',
      evidenceEventId: randomUUID(),
      mergedAt: new Date(clockMs + 60_000).toISOString(),
    };
    const mergeMessage = { key: survivor, value: JSON.stringify(merge) };
    await producer.send({
      topic: topics[Topics.IdentityMerges],
      messages: [mergeMessage, mergeMessage],
    });

    const row = await waitFor(
      async () => {
        const r = await traitsRow(survivor);
        return r && r.event_count === 3 ? r : undefined;
      },
      { description: 'survivor with the merged traits' },
    );
    expect(row).toMatchObject({
      order_count: 2,
      cart: [{ productId: 'sku-9', name: 'Kettle', price: 40, quantity: 1 }],
    });
    expect(Number(row.total_spent)).toBe(50);
    expect(await traitsRow(merged)).toBeUndefined();

    await waitFor(() => summary(survivor).length >= 2, {
      description: 'survivor enters both segments',
    });
    expect(summary(survivor)).toEqual(['entered has-open-cart', 'entered repeat-buyer']);
    await waitFor(() => summary(merged).includes('exited has-open-cart'), {
      description: 'merged profile exits',
    });
    expect(summary(merged)).toEqual(['entered has-open-cart', 'exited has-open-cart']);
    expect(changesOf(merged)[1].change.causeId).toBe(merge.mergeId);

    await waitFor(
      async () => (await redis.exists(keys.traits(merged), keys.segments(merged))) === 0,
      {
        description: 'merged profile gone from Redis',
      },
    );
    await waitFor(async () => (await redis.hget(keys.traits(survivor), 'eventCount')) === '3', {
      description: 'survivor hash',
    });
    expect((await redis.smembers(keys.segments(survivor))).sort()).toEqual([
      'has-open-cart',
      'repeat-buyer',
    ]);
    // The merge was delivered twice; the second copy moved nothing (counts stay as above).
    expect((await traitsRow(survivor))?.event_count).toBe(3);
  });

  it('dead-letters an event that breaks the ResolvedEvent contract', async () => {
    const marker = uniqueName('bad');
    await producer.send({
      topic: topics[Topics.EventsResolved],
      messages: [{ key: marker, value: JSON.stringify({ eventId: marker, type: 'track' }) }],
    });
    const dead = await waitFor(
      () =>
        collector.messages.find((m) => m.topic === topics[Topics.DeadLetter] && m.key === marker),
      { description: 'dead-lettered event' },
    );
    expect(dead.headers[Headers.DlqReasonCode]).toBe('SCHEMA_VIOLATION');
    expect(dead.headers[Headers.DlqReason]).toContain('profileId');
  });
});

describe('segmentation migrations (integration)', () => {
  const schema = uniqueName('segmig');
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
      entities: SEGMENTATION_ENTITIES,
      migrations: SEGMENTATION_MIGRATIONS,
    });
    try {
      await prepareDatabase(dataSource);
      expect(await tables()).toEqual([
        'computed_traits',
        'memberships',
        'outbox',
        'processed_events',
      ]);
      await revertLastMigration(dataSource);
      expect(await tables()).toEqual([]);
      await prepareDatabase(dataSource);
      expect(await tables()).toEqual([
        'computed_traits',
        'memberships',
        'outbox',
        'processed_events',
      ]);
    } finally {
      await dataSource.destroy();
    }
  });
});
