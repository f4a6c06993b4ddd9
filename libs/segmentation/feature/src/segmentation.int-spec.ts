import { randomUUID } from 'node:crypto';
import { type INestApplication } from '@nestjs/common';
import { CLOCK, type ControllableClock } from '@kairos/clock';
import { loadConfig, type KairosConfig } from '@kairos/config';
import {
  ConsumerGroups,
  EventTypes,
  Headers,
  MembershipChanged,
  Topics,
  parseContract,
  type ProfileChanged,
  type ProfilesMerged,
  type ResolvedEvent,
} from '@kairos/contracts';
import { HotKeys, createRedis } from '@kairos/hot-store';
import { createDataSource, prepareDatabase, revertLastMigration } from '@kairos/persistence';
import { DAY_MS } from '@kairos/segmentation/domain';
import { KairosServiceModule, createService } from '@kairos/service-kit';
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
  deleteKeysWithPrefix,
} from '@kairos/testing';
import openApiDocument from './openapi.json';
import {
  SEGMENTATION_ENTITIES,
  SEGMENTATION_MIGRATIONS,
  SegmentationFeatureModule,
} from './segmentation.module';

const ADMIN_TOKEN = 'segmentation-test-admin-token';

/**
 * Any admin API answer, loosely: every field any route returns (a segment, a validation, a
 * preview, stats, an error, the OpenAPI document). Each test reads the ones its route has.
 */
interface AdminBody {
  id: string;
  name: string;
  kind: string;
  version: number;
  builtIn: boolean;
  evaluation: string;
  size: number;
  deletedAt: string | null;
  valid: boolean;
  code: string;
  issues: Array<{ path: string; message: string }>;
  count: number;
  total: number;
  sample: string[];
  days: Array<{ day: string; entered: number; exited: number; size: number }>;
  paths: Record<string, unknown>;
}

interface TraitsDoc {
  eventCount: number;
  orderCount: number;
  ltv: number;
  lastEventAt: number | null;
  lastOrderAt: number | null;
  cart: Array<{ productId: string; name: string; price: number | null; quantity: number }>;
  orders: { days: number[]; amounts: number[] };
}
interface TraitsRow extends Record<string, unknown> {
  traits: TraitsDoc;
  profile: Record<string, unknown> | null;
  profile_version: number;
  evaluated_at: Date | null;
  primary_segment: string | null;
}

/**
 * One in-process segmentation service on its own namespace, schema and Redis prefix, with a
 * controllable clock (so the sweep can be driven) and the admin API on.
 */
async function startHarness(prefix: string) {
  const ns = uniqueName(prefix);
  const schema = uniqueName(prefix);
  const topics = await createNamespacedTopics(ns);
  const savedEnv = { ...process.env };
  process.env.KAIROS_SEGMENTATION_POLL_MS = '50';
  process.env.KAIROS_SEGMENTATION_BATCH_SIZE = '7';
  const config: KairosConfig = loadConfig('segmentation', {
    KAIROS_NAMESPACE: ns,
    KAIROS_PG_SCHEMA: schema,
    KAIROS_HTTP_PORT: '0',
    KAIROS_OUTBOX_POLL_MS: '50',
    KAIROS_KAFKA_RETRY_BACKOFF_MS: '20',
    KAIROS_KAFKA_MAX_ATTEMPTS: '2',
    KAIROS_CLOCK: 'controllable',
    KAIROS_ADMIN_TOKEN: ADMIN_TOKEN,
  });
  const keys = new HotKeys(config.redis.keyPrefix);
  const redis = createRedis(config.redis.url);
  const collector = await collectMessages(
    [topics[Topics.SegmentMemberships], topics[Topics.DeadLetter]],
    uniqueName('collect'),
  );
  let app: INestApplication;
  try {
    app = await createService({
      config,
      module: KairosServiceModule.register({
        config,
        feature: SegmentationFeatureModule,
        persistence: { entities: SEGMENTATION_ENTITIES, migrations: SEGMENTATION_MIGRATIONS },
      }),
      consumerGroup: ConsumerGroups.Segmentation,
      logger: ['error', 'warn'],
    });
  } finally {
    process.env = savedEnv;
  }
  const clock = app.get<ControllableClock>(CLOCK);
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const producer = testKafka().producer();
  await producer.connect();
  /** Event times: one minute apart, starting an hour before the service clock. */
  let eventMs = clock.now().getTime() - 60 * 60_000;

  const h = {
    ns,
    schema,
    topics,
    keys,
    redis,
    collector,
    app,
    clock,
    producer,
    nextTime(): string {
      eventMs = Math.max(eventMs + 60_000, clock.now().getTime() - 30 * 60_000);
      return new Date(eventMs).toISOString();
    },
    resolved(profileId: string, patch: Partial<ResolvedEvent> = {}): ResolvedEvent {
      const timestamp = h.nextTime();
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
    },
    async send(...events: ResolvedEvent[]) {
      await producer.send({
        topic: topics[Topics.EventsResolved],
        messages: events.map((e) => ({ key: e.profileId, value: JSON.stringify(e) })),
      });
    },
    async sendProfile(change: ProfileChanged) {
      await producer.send({
        topic: topics[Topics.ProfileChanges],
        messages: [{ key: change.profileId, value: JSON.stringify(change) }],
      });
    },
    async sendMerge(key: string, ...merges: ProfilesMerged[]) {
      await producer.send({
        topic: topics[Topics.IdentityMerges],
        messages: merges.map((m) => ({ key, value: JSON.stringify(m) })),
      });
    },
    async traitsRow(profileId: string): Promise<TraitsRow | undefined> {
      const rows = await pgQuery<TraitsRow>(
        `SELECT * FROM "${schema}".computed_traits WHERE profile_id = $1`,
        [profileId],
      );
      return rows[0];
    },
    traitsWith(profileId: string, test: (row: TraitsRow) => boolean, description: string) {
      return waitFor(
        async () => {
          const row = await h.traitsRow(profileId);
          return row && test(row) ? row : undefined;
        },
        { description },
      );
    },
    changesOf(profileId: string): Array<{ message: CollectedMessage; change: MembershipChanged }> {
      return collector.messages
        .filter((m) => m.topic === topics[Topics.SegmentMemberships] && m.key === profileId)
        .map((message) => {
          const parsed = parseContract(MembershipChanged, JSON.parse(message.value ?? 'null'));
          if (!parsed.ok)
            throw new Error(`membership message breaks its contract: ${parsed.summary}`);
          return { message, change: parsed.value };
        });
    },
    summary(profileId: string): string[] {
      return h.changesOf(profileId).map((c) => `${c.change.change} ${c.change.segmentId}`);
    },
    async members(profileId: string): Promise<string[]> {
      const rows = await pgQuery<{ segment_id: string }>(
        `SELECT segment_id FROM "${schema}".memberships WHERE profile_id = $1 ORDER BY segment_id`,
        [profileId],
      );
      return rows.map((r) => r.segment_id);
    },
    async admin<T = AdminBody>(
      method: string,
      path: string,
      body?: unknown,
      token: string | null = ADMIN_TOKEN,
    ): Promise<{ status: number; body: T }> {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
    /** Wait until the segment's population work for its current version is done. */
    async evaluated(id: string) {
      return waitFor(
        async () => {
          const r = await h.admin('GET', `/admin/segments/${id}`);
          return r.status === 200 && r.body.evaluation === 'done' ? r.body : undefined;
        },
        { description: `segment ${id} evaluated` },
      );
    },
    async close() {
      await producer.disconnect();
      await collector.stop();
      await app.close();
      await deleteKeysWithPrefix(redis, `${config.redis.keyPrefix}`);
      await redis.quit();
      await dropSchema(schema);
      await deleteNamespacedTopics(ns).catch(() => undefined);
    },
  };
  return h;
}

type Harness = Awaited<ReturnType<typeof startHarness>>;

function profileChanged(profileId: string, patch: Partial<ProfileChanged>): ProfileChanged {
  return {
    profileId,
    version: 1,
    email: 'someone@example.org',
    phone: null,
    firstName: 'Ada',
    lastName: null,
    birthday: '1990-01-15',
    timezone: 'Europe/Berlin',
    emailConsent: 'unknown',
    traits: {},
    identifiers: [],
    updatedAt: new Date().toISOString(),
    ...patch,
  };
}

describe('segmentation (integration)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('seg');
  });
  afterAll(() => h?.close());

  it('keeps traits in Postgres and Redis, and announces entered once and exited on order', async () => {
    const p = randomUUID();
    const identify = h.resolved(p, { type: 'identify', traits: { firstName: 'Ada' } });
    const added = h.resolved(p, {
      event: 'Product Added',
      properties: { product_id: 'sku-1', name: 'Tea pot', price: 24.5, quantity: 2 },
    });
    await h.send(identify, added);

    const row = await h.traitsWith(p, (r) => r.traits.eventCount === 2, 'two events');
    expect(row.traits.cart).toEqual([
      { productId: 'sku-1', name: 'Tea pot', price: 24.5, quantity: 2 },
    ]);
    expect(row.traits.orderCount).toBe(0);
    expect(row.traits.lastEventAt).toBe(Date.parse(added.timestamp));
    expect(row.primary_segment).toBe('has-open-cart');

    const entered = await waitFor(() => h.changesOf(p)[0], { description: 'entered' });
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
        const x = await h.redis.hgetall(h.keys.traits(p));
        return x.eventCount === '2' ? x : undefined;
      },
      { description: 'traits hash in Redis' },
    );
    expect(hash).toMatchObject({
      profileId: p,
      eventCount: '2',
      orderCount: '0',
      totalSpent: '0',
      cartItemCount: '2',
      cartValue: '49',
      primarySegment: 'has-open-cart',
      lastCartActivityAt: added.timestamp,
    });
    // The renderer and the e2e read this exact shape.
    expect(JSON.parse(hash.cart)).toEqual([
      { productId: 'sku-1', name: 'Tea pot', price: 24.5, quantity: 2 },
    ]);
    expect(await h.redis.smembers(h.keys.segments(p))).toEqual(['has-open-cart']);

    // A second add keeps the profile in the segment: nothing is announced for it.
    await h.send(
      h.resolved(p, {
        event: 'Product Added',
        properties: { product_id: 'sku-2', name: 'Cup', price: 5 },
      }),
    );
    const two = await h.traitsWith(p, (r) => r.traits.eventCount === 3, 'three events');
    expect(two.traits.cart.map((l) => l.productId)).toEqual(['sku-1', 'sku-2']);

    // The order empties the cart (exit) and makes an occasional shopper (enter), exits first.
    const order = h.resolved(p, {
      event: 'Order Completed',
      properties: { order_id: 'o-1', revenue: 54, total: 60 },
    });
    await h.send(order);
    await waitFor(() => h.changesOf(p).length >= 3, { description: 'exit and enter' });
    expect(h.summary(p)).toEqual([
      'entered has-open-cart',
      'exited has-open-cart',
      'entered occasional-shoppers',
    ]);
    expect(h.changesOf(p)[1].change.causeId).toBe(order.eventId);

    const after = await h.traitsWith(p, (r) => r.traits.eventCount === 4, 'four events');
    expect(after.traits).toMatchObject({ orderCount: 1, ltv: 54, cart: [] });
    await waitFor(async () => (await h.redis.hget(h.keys.traits(p), 'orderCount')) === '1', {
      description: 'orderCount in Redis',
    });
    expect(await h.redis.hgetall(h.keys.traits(p))).toMatchObject({
      primarySegment: 'occasional-shoppers',
      purchases30d: '1',
      cart: '[]',
    });
    expect(await h.redis.smembers(h.keys.segments(p))).toEqual(['occasional-shoppers']);
    // The history has one row per announced change.
    const history = await pgQuery<{ change: string; segment_id: string }>(
      `SELECT change, segment_id FROM "${h.schema}".membership_events WHERE profile_id = $1 ORDER BY id`,
      [p],
    );
    expect(history.map((r) => `${r.change} ${r.segment_id}`)).toEqual(h.summary(p));
  });

  it('treats a redelivered event id as a no-op', async () => {
    const p = randomUUID();
    const order = h.resolved(p, { event: 'Order Completed', properties: { revenue: 10 } });
    await h.send(order);
    await h.traitsWith(p, (r) => r.traits.eventCount === 1, 'one event');

    // The duplicate, then a new event: once the new one is counted, the duplicate (earlier on the
    // same partition) has been handled too.
    await h.send(order, h.resolved(p, { type: 'page', name: 'Home' }));
    const row = await h.traitsWith(p, (r) => r.traits.eventCount === 2, 'two events');
    expect(row.traits.orderCount).toBe(1);
    expect(row.traits.ltv).toBe(10);
    expect(h.summary(p)).toEqual(['entered occasional-shoppers']);
    const claims = await pgQuery(
      `SELECT 1 FROM "${h.schema}".processed_events WHERE event_id = $1`,
      [order.eventId],
    );
    expect(claims).toHaveLength(1);
  });

  it('applies out-of-order events: sums count, state keeps the newest', async () => {
    const p = randomUUID();
    const early = h.resolved(p, {
      event: 'Product Added',
      properties: { product_id: 'late-sku', name: 'Late', price: 3 },
    });
    const order = h.resolved(p, { event: 'Order Completed', properties: { revenue: 7 } });
    // The order (later in time) arrives first; the add that happened before it arrives late.
    await h.send(order, early);
    const row = await h.traitsWith(p, (r) => r.traits.eventCount === 2, 'two events');
    expect(row.traits).toMatchObject({
      orderCount: 1,
      ltv: 7,
      // The late add is older than the order that checked the cart out: not an open cart.
      cart: [],
      lastEventAt: Date.parse(order.timestamp),
      lastOrderAt: Date.parse(order.timestamp),
    });
    expect(row.traits.orders.amounts).toEqual([1]);
    expect(h.summary(p)).toEqual(['entered occasional-shoppers']);
  });

  it('moves a merged profile into the survivor, re-evaluates both, and redirects late events', async () => {
    const survivor = randomUUID();
    const merged = randomUUID();
    await h.send(h.resolved(survivor, { event: 'Order Completed', properties: { revenue: 20 } }));
    await h.send(
      h.resolved(merged, { event: 'Order Completed', properties: { revenue: 30 } }),
      h.resolved(merged, {
        event: 'Product Added',
        properties: { product_id: 'sku-9', name: 'Kettle', price: 40 },
      }),
    );
    await h.traitsWith(survivor, (r) => r.traits.eventCount === 1, 'survivor');
    await h.traitsWith(merged, (r) => r.traits.eventCount === 2, 'merged');
    await waitFor(() => h.summary(merged).length === 2, { description: 'merged enters' });
    expect(h.summary(merged)).toEqual(['entered occasional-shoppers', 'entered has-open-cart']);
    await waitFor(async () => (await h.redis.exists(h.keys.traits(merged))) === 1, {
      description: 'merged profile in Redis',
    });

    const merge: ProfilesMerged = {
      mergeId: randomUUID(),
      survivorProfileId: survivor,
      mergedProfileId: merged,
      rule: 'shared-identifier:email',
      evidenceEventId: randomUUID(),
      mergedAt: h.nextTime(),
    };
    await h.sendMerge(survivor, merge, merge);

    const row = await h.traitsWith(survivor, (r) => r.traits.eventCount === 3, 'combined');
    expect(row.traits).toMatchObject({
      orderCount: 2,
      ltv: 50,
      cart: [{ productId: 'sku-9', name: 'Kettle', price: 40, quantity: 1 }],
    });
    // Day buckets add up too: both orders are in the survivor's windows.
    expect(row.traits.orders.amounts.reduce((a, b) => a + b, 0)).toBe(2);
    expect(await h.traitsRow(merged)).toBeUndefined();

    // Two orders within 90 days: a repeat buyer (so no longer an occasional shopper), and the
    // lifetime repeat-buyer; the merged cart makes an open cart.
    await waitFor(() => h.summary(survivor).length >= 5, { description: 'survivor changes' });
    expect(h.summary(survivor)).toEqual([
      'entered occasional-shoppers',
      'exited occasional-shoppers',
      'entered has-open-cart',
      'entered repeat-buyer',
      'entered repeat-buyers',
    ]);
    await waitFor(() => h.summary(merged).length >= 4, { description: 'merged profile exits' });
    expect(h.summary(merged).slice(2).sort()).toEqual([
      'exited has-open-cart',
      'exited occasional-shoppers',
    ]);
    expect(h.changesOf(merged)[2].change.causeId).toBe(merge.mergeId);

    await waitFor(
      async () => (await h.redis.exists(h.keys.traits(merged), h.keys.segments(merged))) === 0,
      { description: 'merged profile gone from Redis' },
    );
    await waitFor(async () => (await h.redis.hget(h.keys.traits(survivor), 'eventCount')) === '3', {
      description: 'survivor hash',
    });
    expect((await h.redis.smembers(h.keys.segments(survivor))).sort()).toEqual([
      'has-open-cart',
      'repeat-buyer',
      'repeat-buyers',
    ]);
    expect(await h.redis.hget(h.keys.traits(survivor), 'primarySegment')).toBe('has-open-cart');

    // A late event of the merged-away profile lands on the survivor, not on a revived profile.
    await h.send(h.resolved(merged, { type: 'page', name: 'Late' }));
    await h.traitsWith(survivor, (r) => r.traits.eventCount === 4, 'late event on survivor');
    expect(await h.traitsRow(merged)).toBeUndefined();

    // An unmerge is ignored (logged): the survivor keeps the combined traits. A merge after it
    // on the same partition proves it was handled.
    const third = randomUUID();
    await h.send(h.resolved(third, { type: 'page', name: 'Third' }));
    await h.traitsWith(third, (r) => r.traits.eventCount === 1, 'third profile');
    await h.sendMerge(
      survivor,
      { ...merge, kind: 'unmerge', unmergedAt: h.nextTime() },
      {
        ...merge,
        mergeId: randomUUID(),
        mergedProfileId: third,
        mergedAt: h.nextTime(),
      },
    );
    const last = await h.traitsWith(survivor, (r) => r.traits.eventCount === 5, 'third merged');
    expect(last.traits.orderCount).toBe(2);
    expect(await h.traitsRow(merged)).toBeUndefined();
    expect(h.collector.messages.filter((m) => m.topic === h.topics[Topics.DeadLetter])).toEqual([]);
  });

  it('takes profile fields from profiles.changes.v1, ignoring older versions', async () => {
    const p = randomUUID();
    const created = await h.admin('POST', '/admin/segments', {
      id: 'subscribed-adults',
      name: 'Subscribed adults',
      rules: {
        and: [
          { consent: 'subscribed' },
          { field: 'profile.age', op: 'gte', value: 18 },
          { field: 'profile.emailDomain', op: 'eq', value: 'example.org' },
        ],
      },
    });
    expect(created.status).toBe(201);
    await h.evaluated('subscribed-adults');

    await h.sendProfile(profileChanged(p, { version: 2, emailConsent: 'subscribed' }));
    const row = await h.traitsWith(p, (r) => r.profile_version === 2, 'profile v2');
    // No address, no names are kept: only what segments read.
    expect(JSON.stringify(row.profile)).not.toContain('someone@');
    expect(JSON.stringify(row.profile)).not.toContain('Ada');
    await waitFor(() => h.summary(p).includes('entered subscribed-adults'), {
      description: 'entered subscribed-adults',
    });

    // v1 arrives late (stale: ignored), then v3 unsubscribes.
    await h.sendProfile(profileChanged(p, { version: 1, emailConsent: 'unsubscribed' }));
    await h.sendProfile(profileChanged(p, { version: 3, emailConsent: 'unsubscribed' }));
    await h.traitsWith(p, (r) => r.profile_version === 3, 'profile v3');
    // The summary also holds other segments' changes: wait for this segment's exit itself.
    await waitFor(() => h.summary(p).includes('exited subscribed-adults'), {
      description: 'exited subscribed-adults',
    });
    expect(h.summary(p).filter((s) => s.endsWith('subscribed-adults'))).toEqual([
      'entered subscribed-adults',
      'exited subscribed-adults',
    ]);
  });

  it('dead-letters an event that breaks the ResolvedEvent contract', async () => {
    const marker = uniqueName('bad');
    await h.producer.send({
      topic: h.topics[Topics.EventsResolved],
      messages: [{ key: marker, value: JSON.stringify({ eventId: marker, type: 'track' }) }],
    });
    const dead = await waitFor(
      () =>
        h.collector.messages.find(
          (m) => m.topic === h.topics[Topics.DeadLetter] && m.key === marker,
        ),
      { description: 'dead-lettered event' },
    );
    expect(dead.headers[Headers.DlqReasonCode]).toBe('SCHEMA_VIOLATION');
    expect(dead.headers[Headers.DlqReason]).toContain('profileId');
  });
});

describe('segmentation admin API (integration)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('segadm');
  });
  afterAll(() => h?.close());

  it('needs the admin token and describes every route in openapi.json', async () => {
    expect((await h.admin('GET', '/admin/segments', undefined, null)).status).toBe(401);
    const doc = await h.admin('GET', '/admin/segments/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body).toEqual(openApiDocument);
    expect(Object.keys(doc.body.paths).sort()).toEqual([
      '/admin/segments',
      '/admin/segments/openapi.json',
      '/admin/segments/preview',
      '/admin/segments/validate',
      '/admin/segments/{id}',
      '/admin/segments/{id}/stats',
    ]);
    const list = await h.admin<AdminBody[]>('GET', '/admin/segments');
    expect(list.body.map((s) => s.id)).toEqual(
      expect.arrayContaining([
        'has-open-cart',
        'repeat-buyer',
        'repeat-buyers',
        'dormant-contacts',
      ]),
    );
    expect(list.body.find((s) => s.id === 'repeat-buyers')).toMatchObject({
      builtIn: true,
      kind: 'dynamic',
      version: 1,
    });
  });

  it('rejects an invalid definition saying where, and validates without saving', async () => {
    const bad = {
      id: 'big-spenders',
      name: 'Big spenders',
      rules: {
        and: [
          { field: 'traits.ltvv', op: 'gte', value: 100 },
          { field: 'traits.orderCount', op: 'gte', value: 'two' },
          { inSegment: 'no-such-segment' },
        ],
      },
    };
    const validated = await h.admin('POST', '/admin/segments/validate', bad);
    expect(validated.status).toBe(200);
    expect(validated.body.valid).toBe(false);
    expect(validated.body.issues.map((i) => i.path)).toEqual([
      '$.rules.and[0].field',
      '$.rules.and[1].value',
    ]);
    expect(validated.body.issues[0].message).toContain("did you mean 'traits.ltv'");

    const created = await h.admin('POST', '/admin/segments', bad);
    expect(created.status).toBe(400);
    expect(created.body.code).toBe('INVALID_DEFINITION');
    expect(created.body.issues.map((i) => i.path)).toContain('$.rules.and[1].value');
    // Once the language is right, the reference is checked against the other segments.
    const unknownRef = await h.admin('POST', '/admin/segments/validate', {
      ...bad,
      rules: { inSegment: 'no-such-segment' },
    });
    expect(unknownRef.body).toEqual({
      valid: false,
      issues: [{ path: '$.rules.inSegment', message: "unknown segment 'no-such-segment'" }],
    });
    expect((await h.admin('GET', '/admin/segments/big-spenders')).status).toBe(404);

    const good = await h.admin('POST', '/admin/segments/validate', {
      ...bad,
      rules: { field: 'traits.ltv', op: 'gte', value: 100 },
    });
    expect(good.body).toEqual({ valid: true, issues: [] });
    expect(
      (await h.admin('POST', '/admin/segments', { ...bad, rules: { inSegment: 'has-open-cart' } }))
        .status,
    ).toBe(201);
    expect(
      (await h.admin('POST', '/admin/segments', { ...bad, rules: { inSegment: 'has-open-cart' } }))
        .body.code,
    ).toBe('SEGMENT_EXISTS');
    // Deleted again, so it does not take part in the tests below (it had no members).
    expect((await h.admin('DELETE', '/admin/segments/big-spenders')).status).toBe(200);
    expect((await h.evaluated('big-spenders')).size).toBe(0);
  });

  it('previews, creates, re-evaluates on update, and lets members exit on delete', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const cart = (p: string, price: number) =>
      h.resolved(p, {
        event: 'Product Added',
        properties: { product_id: `sku-${price}`, name: 'Thing', price },
      });
    await h.send(cart(a, 771), cart(b, 772), cart(c, 10));
    for (const p of [a, b, c]) await h.traitsWith(p, (r) => r.traits.eventCount === 1, p);

    const definition = {
      id: 'pricey-carts',
      name: 'Pricey carts',
      priority: 100,
      rules: { field: 'traits.cartValue', op: 'between', value: [770, 775] },
    };
    const preview = await h.admin('POST', '/admin/segments/preview', definition);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ count: 2, total: 3, sample: [a, b].sort() });
    expect(h.summary(a)).not.toContain('entered pricey-carts');

    const created = await h.admin('POST', '/admin/segments', definition);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'pricey-carts', version: 1, kind: 'dynamic' });
    const done = await h.evaluated('pricey-carts');
    expect(done.size).toBe(2);
    await waitFor(() => h.summary(a).includes('entered pricey-carts'), { description: 'a' });
    await waitFor(() => h.summary(b).includes('entered pricey-carts'), { description: 'b' });
    await waitFor(
      async () => (await h.redis.hget(h.keys.traits(a), 'primarySegment')) === 'pricey-carts',
      { description: 'primary segment in Redis' },
    );

    // Update: narrower range → b exits, a stays (announced nothing), c never entered.
    const updated = await h.admin('PUT', '/admin/segments/pricey-carts', {
      ...definition,
      id: undefined,
      rules: { field: 'traits.cartValue', op: 'between', value: [770, 771.5] },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.version).toBe(2);
    await h.evaluated('pricey-carts');
    await waitFor(() => h.summary(b).includes('exited pricey-carts'), { description: 'b exits' });
    expect(h.summary(a).filter((s) => s.endsWith('pricey-carts'))).toEqual([
      'entered pricey-carts',
    ]);
    expect(h.summary(c).filter((s) => s.endsWith('pricey-carts'))).toEqual([]);
    expect(await h.members(b)).toEqual(['has-open-cart']);

    // Delete is refused while another segment reads it, then soft-deletes; members exit.
    await h.admin('POST', '/admin/segments', {
      id: 'pricey-reader',
      name: 'Reads pricey-carts',
      rules: { inSegment: 'pricey-carts' },
    });
    const refused = await h.admin('DELETE', '/admin/segments/pricey-carts');
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('SEGMENT_IN_USE');
    expect((await h.admin('DELETE', '/admin/segments/pricey-reader')).status).toBe(200);
    const deleted = await h.admin('DELETE', '/admin/segments/pricey-carts');
    expect(deleted.status).toBe(200);
    expect(deleted.body.deletedAt).not.toBeNull();
    await h.evaluated('pricey-carts');
    await waitFor(() => h.summary(a).includes('exited pricey-carts'), { description: 'a exits' });
    expect(await h.members(a)).toEqual(['has-open-cart']);
    expect(await h.redis.smembers(h.keys.segments(a))).toEqual(['has-open-cart']);
    const list = await h.admin<AdminBody[]>('GET', '/admin/segments');
    expect(list.body.map((s) => s.id)).not.toContain('pricey-carts');

    // Size and churn over time come from the history.
    const stats = await h.admin('GET', '/admin/segments/pricey-carts/stats?days=2');
    expect(stats.status).toBe(200);
    expect(stats.body.size).toBe(0);
    expect(stats.body.days.at(-1)).toMatchObject({ entered: 2, exited: 2, size: 0 });
    expect(stats.body.days).toHaveLength(2);
  });

  it('keeps a static snapshot as it was, whatever happens later', async () => {
    const [inCart, noCart] = [randomUUID(), randomUUID()];
    await h.send(
      h.resolved(inCart, {
        event: 'Product Added',
        properties: { product_id: 'snap', name: 'Snap', price: 1 },
      }),
      h.resolved(noCart, { type: 'page', name: 'Home' }),
    );
    await h.traitsWith(inCart, (r) => r.traits.eventCount === 1, 'inCart');
    await h.traitsWith(noCart, (r) => r.traits.eventCount === 1, 'noCart');

    const created = await h.admin('POST', '/admin/segments', {
      id: 'cart-snapshot',
      name: 'Had an open cart at snapshot time',
      kind: 'static',
      rules: { inSegment: 'has-open-cart' },
    });
    expect(created.status).toBe(201);
    expect(created.body.kind).toBe('static');
    // Everyone with an open cart at that moment (profiles of earlier tests included).
    const snapshot = await h.evaluated('cart-snapshot');
    expect(snapshot.size).toBeGreaterThanOrEqual(1);
    expect(await h.members(inCart)).toEqual(['cart-snapshot', 'has-open-cart']);
    expect(await h.members(noCart)).toEqual([]);

    // Later: inCart checks out, noCart fills a cart. The snapshot does not move.
    await h.send(
      h.resolved(inCart, { event: 'Order Completed', properties: { revenue: 1 } }),
      h.resolved(noCart, {
        event: 'Product Added',
        properties: { product_id: 'later', name: 'Later', price: 2 },
      }),
    );
    await waitFor(() => h.summary(inCart).includes('exited has-open-cart'), {
      description: 'inCart exits has-open-cart',
    });
    await waitFor(() => h.summary(noCart).includes('entered has-open-cart'), {
      description: 'noCart enters has-open-cart',
    });
    expect(await h.members(inCart)).toEqual(['cart-snapshot', 'occasional-shoppers']);
    expect(await h.members(noCart)).toEqual(['has-open-cart']);
    expect(h.summary(inCart).filter((s) => s.endsWith('cart-snapshot'))).toEqual([
      'entered cart-snapshot',
    ]);
    await waitFor(
      async () =>
        (await h.redis.smembers(h.keys.segments(inCart))).sort().join() ===
        'cart-snapshot,occasional-shoppers',
      { description: 'snapshot membership in Redis' },
    );

    // Its rules cannot change (it is a snapshot); its name can.
    const changed = await h.admin('PUT', '/admin/segments/cart-snapshot', {
      name: 'x',
      kind: 'static',
      rules: { inSegment: 'repeat-buyer' },
    });
    expect(changed.status).toBe(409);
    expect(changed.body.code).toBe('STATIC_SEGMENT_IMMUTABLE');
    const renamed = await h.admin('PUT', '/admin/segments/cart-snapshot', {
      name: 'Renamed snapshot',
      kind: 'static',
      rules: { inSegment: 'has-open-cart' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({
      name: 'Renamed snapshot',
      evaluation: 'done',
      size: snapshot.size,
    });
  });
});

describe('segmentation time sweep (integration)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('segswp');
  });
  afterAll(() => h?.close());

  const evaluatedOn = (p: string, ms: number) =>
    h.traitsWith(
      p,
      (r) => r.evaluated_at !== null && r.evaluated_at.getTime() >= ms,
      `${p} evaluated at the clock's new time`,
    );

  it('exits and enters segments as windows expire, once per change', async () => {
    const buyer = randomUUID();
    const bystander = randomUUID();
    await h.send(
      h.resolved(buyer, { event: 'Order Completed', properties: { revenue: 10 } }),
      h.resolved(buyer, { event: 'Order Completed', properties: { revenue: 15 } }),
      h.resolved(bystander, { type: 'page', name: 'Home' }),
    );
    await h.traitsWith(buyer, (r) => r.traits.eventCount === 2, 'two orders');
    await waitFor(() => h.summary(buyer).length >= 4, { description: 'buyer segments' });
    expect(h.summary(buyer)).toEqual([
      'entered occasional-shoppers',
      'exited occasional-shoppers',
      'entered repeat-buyer',
      'entered repeat-buyers',
    ]);
    expect(await h.members(buyer)).toEqual(['repeat-buyer', 'repeat-buyers']);
    expect(await h.redis.hget(h.keys.traits(buyer), 'purchases30d')).toBe('2');

    // 31 days on: the 30-day window is empty, but the 90-day one still holds both orders.
    const month = h.clock.advance(31 * DAY_MS).getTime();
    await evaluatedOn(buyer, month);
    await evaluatedOn(bystander, month);
    await waitFor(async () => (await h.redis.hget(h.keys.traits(buyer), 'purchases30d')) === '0', {
      description: 'purchases30d expired in Redis',
    });
    expect(await h.members(buyer)).toEqual(['repeat-buyer', 'repeat-buyers']);
    const before = h.summary(buyer).length;

    // 60 more days: out of the 90-day window too — no longer a repeat buyer (90 d), so an
    // occasional shopper again; the lifetime segment stays. Caused by time alone.
    const quarter = h.clock.advance(60 * DAY_MS).getTime();
    await evaluatedOn(buyer, quarter);
    await waitFor(() => h.summary(buyer).length >= before + 2, { description: 'sweep changes' });
    const swept = h.changesOf(buyer).slice(before);
    expect(swept.map((c) => `${c.change.change} ${c.change.segmentId}`)).toEqual([
      'exited repeat-buyers',
      'entered occasional-shoppers',
    ]);
    const day = new Date(quarter).toISOString().slice(0, 10);
    expect(swept.every((c) => c.change.causeId === `sweep:${day}`)).toBe(true);
    expect(swept[0].change.at).toBe(new Date(quarter).toISOString());
    expect(await h.members(buyer)).toEqual(['occasional-shoppers', 'repeat-buyer']);
    await waitFor(
      async () => (await h.redis.hget(h.keys.traits(buyer), 'primarySegment')) === 'repeat-buyer',
      { description: 'primary segment after the sweep' },
    );
    // The old day buckets were dropped from storage by the sweep.
    expect((await h.traitsRow(buyer))?.traits.orders.days).toEqual([]);

    // Another day: re-evaluated again, nothing new to announce (exactly once per change).
    const next = h.clock.advance(DAY_MS).getTime();
    await evaluatedOn(buyer, next);
    await evaluatedOn(bystander, next);
    expect(h.summary(buyer)).toHaveLength(before + 2);
    const history = await pgQuery<{ n: string }>(
      `SELECT count(*) AS n FROM "${h.schema}".membership_events WHERE profile_id = $1`,
      [buyer],
    );
    expect(Number(history[0].n)).toBe(before + 2);
    expect(h.summary(bystander)).toEqual([]);
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

  it('go down and up again cleanly, converting skeleton rows', async () => {
    const dataSource = createDataSource({
      url: testStack.postgresUrl,
      schema,
      entities: SEGMENTATION_ENTITIES,
      migrations: SEGMENTATION_MIGRATIONS,
    });
    const all = [
      'computed_traits',
      'membership_events',
      'memberships',
      'merged_profiles',
      'outbox',
      'processed_events',
      'segment_definitions',
    ];
    try {
      await prepareDatabase(dataSource);
      expect(await tables()).toEqual(all);
      await revertLastMigration(dataSource);
      expect(await tables()).toEqual([
        'computed_traits',
        'memberships',
        'outbox',
        'processed_events',
      ]);
      // A row as the skeleton wrote it is converted into the domain document.
      const p = randomUUID();
      await pgQuery(
        `INSERT INTO "${schema}".computed_traits (profile_id, event_count, order_count, total_spent, last_event_at, cart, version, updated_at)
         VALUES ($1, 3, 1, 12.5, '2026-01-02T00:00:00Z', '[{"productId":"a","name":"A","price":1,"quantity":2}]', 4, now())`,
        [p],
      );
      await prepareDatabase(dataSource);
      expect(await tables()).toEqual(all);
      const rows = await pgQuery<{ traits: Record<string, unknown>; version: string }>(
        `SELECT traits, version FROM "${schema}".computed_traits WHERE profile_id = $1`,
        [p],
      );
      expect(rows[0].traits).toMatchObject({
        profileId: p,
        eventCount: 3,
        orderCount: 1,
        ltv: 12.5,
        lastEventAt: Date.parse('2026-01-02T00:00:00Z'),
        cart: [{ productId: 'a', name: 'A', price: 1, quantity: 2 }],
      });
      expect(Number(rows[0].version)).toBe(4);
      await revertLastMigration(dataSource);
      const back = await pgQuery<{ event_count: number; total_spent: string }>(
        `SELECT event_count, total_spent FROM "${schema}".computed_traits WHERE profile_id = $1`,
        [p],
      );
      expect(back[0]).toMatchObject({ event_count: 3, total_spent: '12.5' });
    } finally {
      await dataSource.destroy();
    }
  });
});
