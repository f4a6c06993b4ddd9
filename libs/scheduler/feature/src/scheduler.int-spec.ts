import { KairosServiceModule } from '@kairos/service-kit';
import { randomUUID } from 'node:crypto';
import { type INestApplication } from '@nestjs/common';
import { CLOCK, type ControllableClock } from '@kairos/clock';
import { loadConfig, type KairosConfig } from '@kairos/config';
import {
  ConsumerGroups,
  MessageRequested,
  Topics,
  parseContract,
  type MessageOutcome,
  type ProfileChanged,
  type ResolvedEvent,
} from '@kairos/contracts';
import { createService } from '@kairos/service-kit';
import { shutdownTelemetry, startTelemetry } from '@kairos/telemetry';
import {
  collectMessages,
  createNamespacedTopics,
  deleteNamespacedTopics,
  dropSchema,
  pgQuery,
  testKafka,
  uniqueName,
  waitFor,
} from '@kairos/testing';
import type { Producer } from 'kafkajs';
import { FireDueTimersUseCase } from './fire-due-timers.use-case';
import { SCHEDULER_ENTITIES, SCHEDULER_MIGRATIONS } from './index';
import { SchedulerFeatureModule } from './scheduler.module';

const H = 3_600_000;
const ADMIN_TOKEN = 'scheduler-test-admin-token';

/** What apps/scheduler composes (a library test must not import an app). */
function schedulerApp(config: KairosConfig) {
  return KairosServiceModule.register({
    config,
    feature: SchedulerFeatureModule,
    persistence: { entities: SCHEDULER_ENTITIES, migrations: SCHEDULER_MIGRATIONS },
  });
}

interface TimerRow extends Record<string, unknown> {
  id: string;
  state: string;
  due_at: Date;
  payload: { cart: { productId: string }[] };
  idempotency_key: string;
  trace_headers: Record<string, string>;
}
interface DecisionRow extends Record<string, unknown> {
  timer_id: string;
  decision: string;
  reason: string | null;
  outcome: string | null;
}

jest.setTimeout(30_000);

describe('trigger-scheduler (integration)', () => {
  const ns = uniqueName('sched');
  const schema = uniqueName('sched');
  let topics: Awaited<ReturnType<typeof createNamespacedTopics>>;
  let config: KairosConfig;
  const apps: INestApplication[] = [];
  let app: INestApplication;
  let clock: ControllableClock;
  let producer: Producer;
  let requests: Awaited<ReturnType<typeof collectMessages>>;
  const savedEnv = { ...process.env };

  const startApp = async () => {
    const instance = await createService({
      config,
      module: schedulerApp(config),
      consumerGroup: ConsumerGroups.TriggerScheduler,
      logger: ['error', 'warn'],
    });
    apps.push(instance);
    return instance;
  };

  const timersOf = (profileId: string) =>
    pgQuery<TimerRow>(
      `SELECT * FROM "${schema}".timers WHERE profile_id = $1 ORDER BY created_at`,
      [profileId],
    );
  const decisionsOf = (profileId: string) =>
    pgQuery<DecisionRow>(
      `SELECT * FROM "${schema}".decisions WHERE profile_id = $1 ORDER BY at, seq`,
      [profileId],
    );
  const requestsFor = (profileId: string) =>
    requests.messages
      .map((m) => parseContract(MessageRequested, JSON.parse(m.value ?? 'null')))
      .flatMap((r) => (r.ok && r.value.profileId === profileId ? [r.value] : []));

  async function publishProfile(
    profileId: string,
    overrides: Partial<ProfileChanged> = {},
  ): Promise<void> {
    const profile: ProfileChanged = {
      profileId,
      version: 1,
      email: 'ada@example.com',
      phone: null,
      firstName: 'Ada',
      lastName: null,
      birthday: null,
      timezone: 'Europe/Berlin',
      emailConsent: 'subscribed',
      traits: {},
      identifiers: [],
      updatedAt: new Date().toISOString(),
      ...overrides,
    };
    await producer.send({
      topic: topics[Topics.ProfileChanges],
      messages: [{ key: profileId, value: JSON.stringify(profile) }],
    });
    await waitFor(
      async () =>
        (
          await pgQuery(
            `SELECT 1 FROM "${schema}".profiles WHERE profile_id = $1 AND version = $2`,
            [profileId, profile.version],
          )
        ).length === 1,
      { description: `profile ${profileId} v${profile.version} projected` },
    );
  }

  async function track(
    profileId: string,
    event: string,
    properties: Record<string, unknown>,
    at: Date,
    headers: Record<string, string> = {},
  ): Promise<string> {
    const resolved: ResolvedEvent = {
      eventId: randomUUID(),
      type: 'track',
      event,
      userId: `user-${profileId}`,
      traits: {},
      properties,
      context: {},
      timestamp: at.toISOString(),
      receivedAt: at.toISOString(),
      warnings: [],
      profileId,
    };
    await producer.send({
      topic: topics[Topics.EventsResolved],
      messages: [{ key: profileId, value: JSON.stringify(resolved), headers }],
    });
    return resolved.eventId;
  }

  const waitForDecision = (profileId: string, decision: string, count = 1) =>
    waitFor(
      async () => {
        const rows = (await decisionsOf(profileId)).filter((d) => d.decision === decision);
        return rows.length >= count ? rows : undefined;
      },
      { description: `${count} '${decision}' decision(s) for ${profileId}` },
    );

  beforeAll(async () => {
    // Real trace-context propagation (W3C, async context), so the trace test below is meaningful.
    startTelemetry({ serviceName: 'trigger-scheduler-test', env: {} });
    topics = await createNamespacedTopics(ns, [
      Topics.EventsResolved,
      Topics.ProfileChanges,
      Topics.SegmentMemberships,
      Topics.MessagesOutcomes,
      Topics.MessagesRequested,
      Topics.DeadLetter,
    ]);
    process.env.KAIROS_SCHEDULER_POLL_MS = '50';
    process.env.KAIROS_ABANDONED_CART_DELAY_MS = String(4 * H);
    // These tests pin abandoned-cart timing on a clock that starts at the real time of day;
    // quiet hours are covered by triggers.int-spec.ts.
    process.env.KAIROS_QUIET_HOURS = 'off';
    config = loadConfig('trigger-scheduler', {
      KAIROS_NAMESPACE: ns,
      KAIROS_PG_SCHEMA: schema,
      KAIROS_HTTP_PORT: '0',
      KAIROS_OUTBOX_POLL_MS: '50',
      KAIROS_KAFKA_RETRY_BACKOFF_MS: '20',
      KAIROS_KAFKA_MAX_ATTEMPTS: '2',
      KAIROS_CLOCK: 'controllable',
      KAIROS_ADMIN_TOKEN: ADMIN_TOKEN,
    });
    requests = await collectMessages([topics[Topics.MessagesRequested]], uniqueName('requests'));
    producer = testKafka().producer();
    await producer.connect();
    app = await startApp();
    clock = app.get<ControllableClock>(CLOCK);
    // The profiles below are brand-new subscribers, who would also get a welcome (and the
    // welcome's priority would win the overlap with the cart); these tests are about the cart.
    await pgQuery(
      `UPDATE "${schema}".trigger_definitions SET enabled = false WHERE id = 'welcome'`,
    );
  });

  afterAll(async () => {
    for (const instance of apps) await instance.close();
    await requests?.stop();
    await producer?.disconnect();
    await dropSchema(schema);
    await deleteNamespacedTopics(ns).catch(() => undefined);
    process.env = savedEnv;
    await shutdownTelemetry();
  });

  it('arms on Product Added, moves on more activity and fires once, past due, with the whole cart', async () => {
    const profileId = randomUUID();
    await publishProfile(profileId);
    const t0 = clock.now();

    await track(
      profileId,
      'Product Added',
      { product_id: 'sku-1', name: 'Trail Shoe', price: 89.5, quantity: 1 },
      t0,
    );
    await waitForDecision(profileId, 'armed');
    const [armed] = await timersOf(profileId);
    expect(armed).toMatchObject({
      state: 'armed',
      idempotency_key: `abandoned_cart:${profileId}:${armed.id}`,
    });
    expect(armed.due_at.getTime()).toBe(t0.getTime() + 4 * H);

    // Three hours later: nothing is due yet.
    clock.advance(3 * H);
    await app.get(FireDueTimersUseCase).fireBatch();
    expect((await timersOf(profileId)).map((t) => t.state)).toEqual(['armed']);

    // More activity moves the same timer to 4 h after it, and adds to the cart.
    await track(
      profileId,
      'Product Added',
      { product_id: 'sku-2', name: 'Wool Sock', price: 12, quantity: 2 },
      clock.now(),
    );
    await waitForDecision(profileId, 'moved');
    const moved = await timersOf(profileId);
    expect(moved).toHaveLength(1);
    expect(moved[0].id).toBe(armed.id);
    expect(moved[0].due_at.getTime()).toBe(t0.getTime() + 7 * H);

    // Past the original due time but before the moved one: still nothing.
    clock.advance(2 * H);
    await app.get(FireDueTimersUseCase).fireBatch();
    expect(requestsFor(profileId)).toHaveLength(0);
    expect((await timersOf(profileId))[0].state).toBe('armed');

    // Past the moved due time: the background dispatcher fires it.
    clock.advance(2 * H + 60_000);
    const [request] = await waitFor(
      () => (requestsFor(profileId).length > 0 ? requestsFor(profileId) : undefined),
      {
        description: 'a message request',
      },
    );
    expect(request).toMatchObject({
      idempotencyKey: armed.idempotency_key,
      trigger: 'abandoned_cart',
      template: 'abandoned-cart',
      channel: 'email',
      category: 'marketing',
      requestedAt: clock.now().toISOString(),
    });
    expect(request.cart).toEqual([
      { productId: 'sku-1', name: 'Trail Shoe', price: 89.5, quantity: 1 },
      { productId: 'sku-2', name: 'Wool Sock', price: 12, quantity: 2 },
    ]);
    expect((await timersOf(profileId))[0].state).toBe('fired');
    expect((await decisionsOf(profileId)).map((d) => d.decision)).toEqual([
      'armed',
      'moved',
      'fired',
    ]);

    // Nothing fires it again.
    expect(await app.get(FireDueTimersUseCase).fireBatch()).toMatchObject({
      fired: 0,
      suppressed: 0,
      claimed: 0,
    });

    // The renderer's outcome lands on the ledger's 'fired' row.
    const outcome: MessageOutcome = {
      requestId: request.requestId,
      idempotencyKey: request.idempotencyKey,
      profileId,
      trigger: 'abandoned_cart',
      status: 'sent',
      messageId: '<x@kairos.local>',
      at: clock.now().toISOString(),
    };
    await producer.send({
      topic: topics[Topics.MessagesOutcomes],
      messages: [{ key: profileId, value: JSON.stringify(outcome) }],
    });
    await waitFor(
      async () =>
        (await decisionsOf(profileId)).find((d) => d.decision === 'fired' && d.outcome === 'sent'),
      {
        description: 'outcome recorded',
      },
    );

    // The admin API lists the ledger, behind the admin token.
    const url = `${await app.getUrl()}/admin/profiles/${profileId}/decisions`;
    expect((await fetch(url)).status).toBe(401);
    const response = await fetch(url, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      decision: string;
      timerId: string;
      outcome: string | null;
    }[];
    expect(body.map((d) => d.decision)).toEqual(['armed', 'moved', 'fired']);
    expect(body[2]).toMatchObject({ timerId: armed.id, outcome: 'sent' });
    expect(requestsFor(profileId)).toHaveLength(1);
  });

  it('fires inside the trace of the event that last moved the timer', async () => {
    const profileId = randomUUID();
    await publishProfile(profileId);
    const traceId = randomUUID().replace(/-/g, '');
    const traceparent = `00-${traceId}-${randomUUID().replace(/-/g, '').slice(0, 16)}-01`;
    await track(
      profileId,
      'Product Added',
      { product_id: 'sku-t', name: 'Tent', price: 200 },
      clock.now(),
      { traceparent },
    );
    await waitForDecision(profileId, 'armed');
    expect((await timersOf(profileId))[0].trace_headers).toMatchObject({
      traceparent: expect.stringContaining(traceId) as unknown,
    });

    clock.advance(4 * H + 60_000);
    const message = await waitFor(
      () =>
        requests.messages.find(
          (m) => (JSON.parse(m.value ?? 'null') as { profileId?: string }).profileId === profileId,
        ),
      { description: 'the traced request' },
    );
    expect(message.headers.traceparent?.split('-')[1]).toBe(traceId);
  });

  it('cancels on Order Completed: no request', async () => {
    const profileId = randomUUID();
    await publishProfile(profileId);
    await track(
      profileId,
      'Product Added',
      { product_id: 'sku-3', name: 'Cap', price: 20 },
      clock.now(),
    );
    await waitForDecision(profileId, 'armed');
    await track(profileId, 'Order Completed', { order_id: 'o-1' }, clock.now());
    const [cancelled] = await waitForDecision(profileId, 'cancelled');
    expect(cancelled.reason).toBe('order completed');

    clock.advance(5 * H);
    await app.get(FireDueTimersUseCase).fireBatch();
    expect((await timersOf(profileId)).map((t) => t.state)).toEqual(['cancelled']);
    expect((await decisionsOf(profileId)).map((d) => d.decision)).toEqual(['armed', 'cancelled']);
    expect(requestsFor(profileId)).toHaveLength(0);
  });

  it('suppresses the firing for an unsubscribed profile, with the reason', async () => {
    const profileId = randomUUID();
    await publishProfile(profileId);
    await track(
      profileId,
      'Product Added',
      { product_id: 'sku-4', name: 'Scarf', price: 30 },
      clock.now(),
    );
    await waitForDecision(profileId, 'armed');
    // Unsubscribes after arming: consent is checked fresh when the timer fires.
    await publishProfile(profileId, { version: 2, emailConsent: 'unsubscribed' });

    clock.advance(4 * H + 60_000);
    const [suppressed] = await waitForDecision(profileId, 'suppressed');
    expect(suppressed.reason).toBe('unsubscribed from email');
    expect((await timersOf(profileId)).map((t) => t.state)).toEqual(['cancelled']);
    expect(requestsFor(profileId)).toHaveLength(0);
  });

  it('forgets an erased profile (tombstone) and cancels its timers', async () => {
    const profileId = randomUUID();
    await publishProfile(profileId);
    await track(
      profileId,
      'Product Added',
      { product_id: 'sku-e', name: 'Hat', price: 15 },
      clock.now(),
    );
    await waitForDecision(profileId, 'armed');
    await producer.send({
      topic: topics[Topics.ProfileChanges],
      messages: [{ key: profileId, value: null }],
    });
    const [cancelled] = await waitForDecision(profileId, 'cancelled');
    expect(cancelled.reason).toBe('profile erased');
    expect(
      await pgQuery(`SELECT 1 FROM "${schema}".profiles WHERE profile_id = $1`, [profileId]),
    ).toHaveLength(0);
    expect((await timersOf(profileId)).map((t) => t.state)).toEqual(['cancelled']);
  });

  it('never fires one timer twice with two dispatchers on one schema', async () => {
    const second = await startApp();
    const secondClock = second.get<ControllableClock>(CLOCK);
    // Both replicas share one notion of now (the first clock has been moved ahead by the tests above).
    const now = secondClock.set(clock.now());
    const profileIds = Array.from({ length: 30 }, () => randomUUID());
    for (const profileId of profileIds) {
      await producer.send({
        topic: topics[Topics.ProfileChanges],
        messages: [
          {
            key: profileId,
            value: JSON.stringify({
              profileId,
              version: 1,
              email: 'x@example.com',
              phone: null,
              firstName: null,
              lastName: null,
              birthday: null,
              timezone: null,
              emailConsent: 'unknown',
              traits: {},
              identifiers: [],
              updatedAt: now.toISOString(),
            } satisfies ProfileChanged),
          },
        ],
      });
      await track(
        profileId,
        'Product Added',
        { product_id: 'sku-5', name: 'Glove', price: 9 },
        now,
      );
    }
    const ids = profileIds.map((id) => `'${id}'`).join(',');
    await waitFor(
      async () => {
        const [row] = await pgQuery<{ timers: number; profiles: number }>(
          `SELECT (SELECT count(*)::int FROM "${schema}".timers WHERE state = 'armed' AND profile_id IN (${ids})) AS timers,
                  (SELECT count(*)::int FROM "${schema}".profiles WHERE profile_id IN (${ids})) AS profiles`,
        );
        return row.timers === profileIds.length && row.profiles === profileIds.length;
      },
      { description: 'all timers armed and profiles projected', timeoutMs: 30_000 },
    );

    // Both clocks past every due time, then both dispatchers race (plus their background loops).
    const target = new Date(now.getTime() + 4 * H + 60_000);
    clock.set(target);
    secondClock.set(target);
    const fire = [app, second].map((a) => a.get(FireDueTimersUseCase));
    await Promise.all([...fire.map((f) => f.fireBatch()), ...fire.map((f) => f.fireBatch())]);

    const fired = await waitFor(
      async () => {
        const rows = await pgQuery<{ timer_id: string }>(
          `SELECT timer_id FROM "${schema}".decisions WHERE decision = 'fired' AND profile_id IN (${ids})`,
        );
        return rows.length >= profileIds.length ? rows : undefined;
      },
      { description: 'every timer fired' },
    );
    expect(new Set(fired.map((r) => r.timer_id)).size).toBe(fired.length);
    expect(fired).toHaveLength(profileIds.length);

    const perProfile = await waitFor(
      () => {
        const counts = profileIds.map(
          (id) => new Set(requestsFor(id).map((r) => r.requestId)).size,
        );
        return counts.every((c) => c >= 1) ? counts : undefined;
      },
      { description: 'a request per profile' },
    );
    expect(perProfile).toEqual(profileIds.map(() => 1));
  }, 45_000);
});
