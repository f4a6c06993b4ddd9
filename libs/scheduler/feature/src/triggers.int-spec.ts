import { randomUUID } from 'node:crypto';
import { type INestApplication } from '@nestjs/common';
import { CLOCK, type ControllableClock } from '@kairos/clock';
import { loadConfig, type KairosConfig } from '@kairos/config';
import {
  ConsumerGroups,
  MessageRequested,
  Topics,
  parseContract,
  type MembershipChanged,
  type MessageOutcome,
  type ProfileChanged,
  type ResolvedEvent,
} from '@kairos/contracts';
import { KairosServiceModule, createService } from '@kairos/service-kit';
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
import { localParts, zonedTimeToUtc } from './domain/local-time';
import { FireDueTimersUseCase } from './fire-due-timers.use-case';
import { SCHEDULER_ENTITIES, SCHEDULER_MIGRATIONS } from './index';
import { SchedulerFeatureModule } from './scheduler.module';
import { TimerDispatcher } from './timer-dispatcher';

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;
const ADMIN_TOKEN = 'scheduler-triggers-test-token';
const BERLIN = 'Europe/Berlin';

interface TimerRow extends Record<string, unknown> {
  id: string;
  definition_id: string;
  state: string;
  due_at: Date;
  idempotency_key: string;
  payload: Record<string, unknown>;
}
interface DecisionRow extends Record<string, unknown> {
  definition_id: string;
  decision: string;
  reason: string | null;
  due_at: Date | null;
}

jest.setTimeout(30_000);

/**
 * The triggers beyond the abandoned cart, and the firing guards, on the real stack with a
 * controllable clock: birthday at 09:00 local once a year, welcome on subscription,
 * re-engagement (and its cancellation by a purchase), segment-entered triggers, the frequency
 * cap, quiet hours, and a crashed firing re-claimed after its lease without a second request.
 * Quiet hours are on (the default 21:00–08:00); each test first moves the clock to a local
 * time of day it needs.
 */
describe('trigger-scheduler triggers and guards (integration)', () => {
  const ns = uniqueName('trig');
  const schema = uniqueName('trig');
  let topics: Awaited<ReturnType<typeof createNamespacedTopics>>;
  let config: KairosConfig;
  let app: INestApplication;
  let clock: ControllableClock;
  let producer: Producer;
  let requests: Awaited<ReturnType<typeof collectMessages>>;
  const savedEnv = { ...process.env };

  const timersOf = (profileId: string) =>
    pgQuery<TimerRow>(
      `SELECT * FROM "${schema}".timers WHERE profile_id = $1 ORDER BY created_at, due_at`,
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
  const waitForRequests = (profileId: string, count = 1) =>
    waitFor(() => (requestsFor(profileId).length >= count ? requestsFor(profileId) : undefined), {
      description: `${count} request(s) for ${profileId}`,
    });
  const waitForDecision = (profileId: string, decision: string, count = 1) =>
    waitFor(
      async () => {
        const rows = (await decisionsOf(profileId)).filter((d) => d.decision === decision);
        return rows.length >= count ? rows : undefined;
      },
      { description: `${count} '${decision}' decision(s) for ${profileId}` },
    );

  /** Move the clock forward to the next hh:mm local time in `zone`. */
  function moveToLocal(hour: number, minute: number, zone: string): Date {
    const now = clock.now();
    const p = localParts(now, zone);
    let at = zonedTimeToUtc({ year: p.year, month: p.month, day: p.day, hour, minute }, zone);
    if (at.getTime() <= now.getTime())
      at = zonedTimeToUtc({ year: p.year, month: p.month, day: p.day + 1, hour, minute }, zone);
    return clock.set(at);
  }

  async function publishProfile(
    profileId: string,
    overrides: Partial<ProfileChanged> = {},
  ): Promise<void> {
    const profile: ProfileChanged = {
      profileId,
      version: 1,
      email: 'someone@example.com',
      phone: null,
      firstName: 'Sam',
      lastName: null,
      birthday: null,
      timezone: BERLIN,
      emailConsent: 'unknown',
      traits: {},
      identifiers: [],
      updatedAt: clock.now().toISOString(),
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

  async function send(
    profileId: string,
    event: Partial<ResolvedEvent> & Pick<ResolvedEvent, 'type'>,
  ): Promise<string> {
    const at = clock.now().toISOString();
    const resolved: ResolvedEvent = {
      eventId: randomUUID(),
      userId: `user-${profileId}`,
      traits: {},
      properties: {},
      context: {},
      timestamp: at,
      receivedAt: at,
      warnings: [],
      profileId,
      ...event,
    };
    await producer.send({
      topic: topics[Topics.EventsResolved],
      messages: [{ key: profileId, value: JSON.stringify(resolved) }],
    });
    return resolved.eventId;
  }

  async function membership(
    profileId: string,
    segmentId: string,
    change: 'entered' | 'exited',
  ): Promise<void> {
    const message: MembershipChanged = {
      profileId,
      segmentId,
      change,
      at: clock.now().toISOString(),
      causeId: randomUUID(),
    };
    await producer.send({
      topic: topics[Topics.SegmentMemberships],
      messages: [{ key: profileId, value: JSON.stringify(message) }],
    });
  }

  async function putTrigger(id: string, body: Record<string, unknown>): Promise<Response> {
    return fetch(`${await app.getUrl()}/admin/triggers/${id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  beforeAll(async () => {
    topics = await createNamespacedTopics(ns, [
      Topics.EventsResolved,
      Topics.ProfileChanges,
      Topics.SegmentMemberships,
      Topics.MessagesOutcomes,
      Topics.MessagesRequested,
      Topics.DeadLetter,
    ]);
    process.env.KAIROS_SCHEDULER_POLL_MS = '50';
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
    app = await createService({
      config,
      module: KairosServiceModule.register({
        config,
        feature: SchedulerFeatureModule,
        persistence: { entities: SCHEDULER_ENTITIES, migrations: SCHEDULER_MIGRATIONS },
      }),
      consumerGroup: ConsumerGroups.TriggerScheduler,
      logger: ['error', 'warn'],
    });
    clock = app.get<ControllableClock>(CLOCK);
  });

  afterAll(async () => {
    await app?.close();
    await requests?.stop();
    await producer?.disconnect();
    await dropSchema(schema);
    await deleteNamespacedTopics(ns).catch(() => undefined);
    process.env = savedEnv;
  });

  it('sends the birthday mail at 09:00 in the person’s zone, once, and arms next year', async () => {
    const zone = 'America/New_York';
    moveToLocal(12, 0, zone);
    const day = localParts(new Date(clock.now().getTime() + 3 * D), zone);
    const birthday = `1990-${String(day.month).padStart(2, '0')}-${String(day.day).padStart(2, '0')}`;
    const profileId = randomUUID();
    await publishProfile(profileId, { birthday, timezone: zone });

    const [armed] = await waitForDecision(profileId, 'armed');
    const nine = zonedTimeToUtc(
      { year: day.year, month: day.month, day: day.day, hour: 9, minute: 0 },
      zone,
    );
    expect(armed).toMatchObject({ definition_id: 'birthday', due_at: nine });
    const [timer] = await timersOf(profileId);
    expect(timer.idempotency_key).toBe(`birthday:${profileId}:${day.year}`);

    // A minute before 09:00 local: nothing.
    clock.set(new Date(nine.getTime() - MIN));
    await app.get(FireDueTimersUseCase).fireBatch();
    expect(requestsFor(profileId)).toHaveLength(0);

    clock.set(nine);
    const [request] = await waitForRequests(profileId);
    expect(request).toMatchObject({
      trigger: 'birthday',
      template: 'birthday',
      category: 'marketing',
      idempotencyKey: `birthday:${profileId}:${day.year}`,
      requestedAt: nine.toISOString(),
      data: { definitionId: 'birthday', birthday: { year: day.year } },
    });

    // Next year's is armed; nothing else fires for this year.
    const timers = await waitFor(
      async () => {
        const rows = await timersOf(profileId);
        return rows.some((t) => t.state === 'armed') ? rows : undefined;
      },
      { description: "next year's birthday timer" },
    );
    expect(timers.map((t) => [t.state, t.idempotency_key])).toEqual([
      ['fired', `birthday:${profileId}:${day.year}`],
      ['armed', `birthday:${profileId}:${day.year + 1}`],
    ]);
    expect(await app.get(FireDueTimersUseCase).fireBatch()).toMatchObject({ fired: 0 });
    expect(requestsFor(profileId)).toHaveLength(1);
  });

  it('reschedules the birthday when the birthday changes', async () => {
    moveToLocal(12, 0, BERLIN);
    const profileId = randomUUID();
    const first = localParts(new Date(clock.now().getTime() + 5 * D), BERLIN);
    const second = localParts(new Date(clock.now().getTime() + 9 * D), BERLIN);
    const iso = (p: { month: number; day: number }) =>
      `1985-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
    await publishProfile(profileId, { birthday: iso(first) });
    await waitForDecision(profileId, 'armed');
    await publishProfile(profileId, { version: 2, birthday: iso(second) });
    const [moved] = await waitForDecision(profileId, 'moved');
    expect(moved.due_at).toEqual(
      zonedTimeToUtc(
        { year: second.year, month: second.month, day: second.day, hour: 9, minute: 0 },
        BERLIN,
      ),
    );
    expect((await timersOf(profileId)).filter((t) => t.state === 'armed')).toHaveLength(1);
  });

  it('welcomes a new subscriber (consent change or Subscription Changed) with the offer', async () => {
    moveToLocal(11, 0, BERLIN);
    const byConsent = randomUUID();
    await publishProfile(byConsent);
    await publishProfile(byConsent, { version: 2, emailConsent: 'subscribed' });
    const [welcome] = await waitForRequests(byConsent);
    expect(welcome).toMatchObject({
      trigger: 'welcome',
      template: 'welcome',
      data: { welcomeOfferValid: true },
    });

    const byEvent = randomUUID();
    await publishProfile(byEvent);
    await send(byEvent, {
      type: 'track',
      event: 'Subscription Changed',
      properties: { status: 'subscribed', channel: 'email' },
    });
    const [viaTrack] = await waitForRequests(byEvent);
    expect(viaTrack).toMatchObject({ trigger: 'welcome', data: { welcomeOfferValid: true } });
    expect((await decisionsOf(byEvent)).map((d) => d.decision)).toEqual(['armed', 'fired']);
  });

  it('arms re-engagement after 3 visits in 7 days, fires it a day later, and a purchase cancels it', async () => {
    moveToLocal(10, 0, BERLIN);
    const buyer = randomUUID();
    const browser = randomUUID();
    await publishProfile(buyer);
    await publishProfile(browser);
    for (let visit = 0; visit < 3; visit++) {
      if (visit > 0) clock.advance(2 * H);
      await send(buyer, { type: 'page', name: 'Home' });
      await send(browser, { type: 'page', name: 'Home' });
      // A second page view in the same visit does not count.
      await send(browser, { type: 'page', name: 'Tents' });
    }
    const [armed] = await waitForDecision(browser, 'armed');
    expect(armed).toMatchObject({
      definition_id: 're_engagement',
      reason: '3 visits in 7 days without a purchase',
    });
    await waitForDecision(buyer, 'armed');

    await send(buyer, { type: 'track', event: 'Order Completed', properties: { order_id: 'o-1' } });
    const [cancelled] = await waitForDecision(buyer, 'cancelled');
    expect(cancelled.reason).toBe('order completed');

    clock.advance(D + MIN);
    const [request] = await waitForRequests(browser);
    expect(request).toMatchObject({
      trigger: 're_engagement',
      template: 're-engagement',
      data: { definitionId: 're_engagement', variant: 'visits', visits: 3 },
    });
    await app.get(FireDueTimersUseCase).fireBatch();
    expect(requestsFor(buyer)).toHaveLength(0);
  });

  it('re-arms the dormant timer 60 days after each open', async () => {
    moveToLocal(10, 0, BERLIN);
    const profileId = randomUUID();
    await publishProfile(profileId);
    const opened = clock.now();
    await send(profileId, { type: 'track', event: 'Email Opened', properties: {} });
    const [armed] = await waitForDecision(profileId, 'armed');
    expect(armed).toMatchObject({
      definition_id: 'dormant',
      due_at: new Date(opened.getTime() + 60 * D),
    });
    clock.advance(3 * D);
    await send(profileId, { type: 'track', event: 'Email Opened', properties: {} });
    const [moved] = await waitForDecision(profileId, 'moved');
    expect(moved.due_at).toEqual(new Date(clock.now().getTime() + 60 * D));
    const [activity] = await pgQuery<{ open_hours: number[] }>(
      `SELECT open_hours FROM "${schema}".profile_activity WHERE profile_id = $1`,
      [profileId],
    );
    expect(activity.open_hours[10]).toBe(2);
  });

  it('starts a segment-bound trigger on entry and suppresses the 4th marketing email in 7 days', async () => {
    expect(
      (
        await putTrigger('vip-entered', {
          kind: 'segment_entered',
          template: 'vip-welcome',
          category: 'marketing',
          priority: 30,
          segmentId: 'seg-vip',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await putTrigger('bad', {
          kind: 'segment_entered',
          template: 'x',
          category: 'marketing',
          priority: 1,
        })
      ).status,
    ).toBe(400);

    moveToLocal(9, 0, BERLIN);
    const profileId = randomUUID();
    await publishProfile(profileId);
    for (let n = 1; n <= 4; n++) {
      if (n > 1) {
        // Apart by more than the overlap window, so only the cap can stop the fourth.
        clock.advance(2 * H);
        await membership(profileId, 'seg-vip', 'exited');
      }
      await membership(profileId, 'seg-vip', 'entered');
      if (n < 4) {
        const sent = await waitForRequests(profileId, n);
        const outcome: MessageOutcome = {
          requestId: sent[n - 1].requestId,
          idempotencyKey: sent[n - 1].idempotencyKey,
          profileId,
          trigger: 'segment_entered',
          status: 'sent',
          at: clock.now().toISOString(),
        };
        await producer.send({
          topic: topics[Topics.MessagesOutcomes],
          messages: [{ key: profileId, value: JSON.stringify(outcome) }],
        });
      }
    }
    expect(requestsFor(profileId)[0]).toMatchObject({
      trigger: 'segment_entered',
      template: 'vip-welcome',
      data: { definitionId: 'vip-entered', segmentId: 'seg-vip' },
    });
    const [suppressed] = await waitForDecision(profileId, 'suppressed');
    expect(suppressed.reason).toBe(
      'frequency cap: 3 marketing email(s) in the last 7 day(s) (max 3)',
    );
    expect(requestsFor(profileId)).toHaveLength(3);
    await waitFor(
      async () =>
        (
          await pgQuery(
            `SELECT 1 FROM "${schema}".firings WHERE profile_id = $1 AND status = 'sent'`,
            [profileId],
          )
        ).length === 3,
      { description: 'the send ledger updated by the outcomes' },
    );
  });

  it('defers a send in quiet hours to 08:00 local, then fires it', async () => {
    await putTrigger('night-entered', {
      kind: 'segment_entered',
      template: 'night',
      category: 'marketing',
      priority: 30,
      segmentId: 'seg-night',
    });
    moveToLocal(22, 30, BERLIN);
    const profileId = randomUUID();
    await publishProfile(profileId);
    await membership(profileId, 'seg-night', 'entered');
    const [deferred] = await waitForDecision(profileId, 'deferred');
    const morning = moveToLocal(8, 0, BERLIN);
    expect(deferred).toMatchObject({
      reason: `quiet hours 21:00–08:00 ${BERLIN}`,
      due_at: morning,
    });
    const [request] = await waitForRequests(profileId);
    expect(request.requestedAt).toBe(morning.toISOString());
    expect((await decisionsOf(profileId)).map((d) => d.decision)).toEqual([
      'armed',
      'deferred',
      'fired',
    ]);
  });

  it('suppresses a cart reminder when an unsubscribe arrives a second before it fires', async () => {
    moveToLocal(12, 0, BERLIN);
    const profileId = randomUUID();
    await publishProfile(profileId);
    await send(profileId, {
      type: 'track',
      event: 'Product Added',
      properties: { product_id: 'sku-u', name: 'Lamp', price: 30 },
    });
    const [armed] = await waitForDecision(profileId, 'armed');
    clock.set(new Date(armed.due_at!.getTime() - 1000));
    await send(profileId, { type: 'track', event: 'Unsubscribed', properties: {} });
    await waitFor(
      async () =>
        (
          await pgQuery(
            `SELECT 1 FROM "${schema}".profile_activity WHERE profile_id = $1 AND consent_status = 'unsubscribed'`,
            [profileId],
          )
        ).length === 1,
      { description: 'the unsubscribe seen' },
    );
    clock.advance(1000);
    const [suppressed] = await waitForDecision(profileId, 'suppressed');
    expect(suppressed).toMatchObject({
      definition_id: 'abandoned_cart',
      reason: 'unsubscribed from email',
    });
    expect(requestsFor(profileId)).toHaveLength(0);
  });

  it('lets the higher-priority campaign win when two want the person at once', async () => {
    for (const [id, priority] of [
      ['both-high', 60],
      ['both-low', 35],
    ] as const) {
      await putTrigger(id, {
        kind: 'segment_entered',
        template: id,
        category: 'marketing',
        priority,
        segmentId: 'seg-both',
      });
    }
    moveToLocal(12, 0, BERLIN);
    const profileId = randomUUID();
    await publishProfile(profileId);
    await membership(profileId, 'seg-both', 'entered');
    const [suppressed] = await waitForDecision(profileId, 'suppressed');
    expect(suppressed.definition_id).toBe('both-low');
    expect(suppressed.reason).toMatch(/^overlap: both-high \(priority 60\)/);
    const [request] = await waitForRequests(profileId);
    expect(request.template).toBe('both-high');
    expect(requestsFor(profileId)).toHaveLength(1);
  });

  it('moves a non-urgent send to the person’s usual open hour (send-time optimization)', async () => {
    await putTrigger('sto-entered', {
      kind: 'segment_entered',
      template: 'sto',
      category: 'marketing',
      priority: 30,
      segmentId: 'seg-sto',
      params: { urgent: false },
    });
    const morning = moveToLocal(10, 0, BERLIN);
    const profileId = randomUUID();
    await publishProfile(profileId);
    // Eight opens around 19:00 Berlin on the previous days.
    for (let day = 1; day <= 8; day++) {
      const p = localParts(new Date(morning.getTime() - day * D), BERLIN);
      const at = zonedTimeToUtc({ ...p, hour: 19, minute: 10 }, BERLIN);
      await send(profileId, {
        type: 'track',
        event: 'Email Opened',
        properties: {},
        timestamp: at.toISOString(),
      });
    }
    await waitFor(
      async () => {
        const [row] = await pgQuery<{ open_hours: number[] }>(
          `SELECT open_hours FROM "${schema}".profile_activity WHERE profile_id = $1`,
          [profileId],
        );
        return row?.open_hours[19] === 8;
      },
      { description: 'eight opens at 19:00 recorded' },
    );
    await membership(profileId, 'seg-sto', 'entered');
    const evening = zonedTimeToUtc({ ...localParts(morning, BERLIN), hour: 19, minute: 0 }, BERLIN);
    const moved = await waitFor(
      async () =>
        (await decisionsOf(profileId)).find(
          (d) => d.decision === 'moved' && d.definition_id === 'sto-entered',
        ),
      { description: 'the send-time move' },
    );
    expect(moved.due_at).toEqual(evening);
    expect(moved.reason).toMatch(/^send-time optimization: most likely open hour 19:00/);
    clock.set(evening);
    const [request] = await waitForRequests(profileId);
    expect(request).toMatchObject({ template: 'sto', requestedAt: evening.toISOString() });
  });

  it('re-claims a crashed firing after its lease, without a second request', async () => {
    await putTrigger('crash-entered', {
      kind: 'segment_entered',
      template: 'crash',
      category: 'marketing',
      priority: 30,
      segmentId: 'seg-crash',
      params: { delayMs: H },
    });
    moveToLocal(12, 0, BERLIN);
    const profileId = randomUUID();
    await publishProfile(profileId);
    await membership(profileId, 'seg-crash', 'entered');
    await waitForDecision(profileId, 'armed');

    // Only this test's hand drives firing from here on.
    const dispatcher = app.get(TimerDispatcher);
    await dispatcher.stop();
    try {
      const fire = app.get(FireDueTimersUseCase);
      clock.advance(H + MIN);
      // A dispatcher claims the timer and "crashes" before firing it.
      const crashed = randomUUID();
      const claimed = await fire.claim(crashed);
      expect(claimed.map((t) => t.profileId)).toContain(profileId);
      // While the lease runs, nobody else takes it.
      expect(await fire.fireBatch()).toMatchObject({ claimed: 0 });
      expect(requestsFor(profileId)).toHaveLength(0);

      // After the lease (60 s by default) another dispatcher re-claims and fires it.
      clock.advance(61_000);
      expect(await fire.fireBatch()).toMatchObject({ fired: 1 });
      await waitForRequests(profileId);

      // The crashed dispatcher coming back finds the timer no longer leased to it.
      expect(await fire.fireClaimed(claimed, crashed)).toEqual({
        fired: 0,
        suppressed: 0,
        deferred: 0,
      });

      // A retried firing of the same key (say, the timer restored to armed) sends nothing new
      // (past the overlap window, so it is the idempotency key that stops it).
      clock.advance(2 * H);
      await pgQuery(
        `UPDATE "${schema}".timers SET state = 'armed', fired_at = NULL WHERE profile_id = $1`,
        [profileId],
      );
      expect(await fire.fireBatch()).toMatchObject({ fired: 0, suppressed: 1 });
      const decisions = await decisionsOf(profileId);
      expect(decisions.at(-1)?.reason).toMatch(
        /^already fired under idempotency key segment:crash-entered:/,
      );
      expect(
        await pgQuery(`SELECT 1 FROM "${schema}".firings WHERE profile_id = $1`, [profileId]),
      ).toHaveLength(1);
    } finally {
      dispatcher.start();
    }
    await waitFor(() => requests.messages.length > 0, { description: 'collector alive' });
    expect(requestsFor(profileId)).toHaveLength(1);
  });
});
