import { randomUUID } from 'node:crypto';
import { type INestApplication } from '@nestjs/common';
import { loadConfig, type KairosConfig } from '@kairos/config';
import {
  ConsumerGroups,
  EventTypes,
  Headers,
  ProfileChanged,
  ProfilesMerged,
  ResolvedEvent,
  Topics,
  parseContract,
  type AcceptedEvent,
} from '@kairos/contracts';
import { HotKeys, createRedis, type Redis } from '@kairos/hot-store';
import { createDataSource, prepareDatabase, revertLastMigration } from '@kairos/persistence';
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
import type { Producer } from 'kafkajs';
import { IDENTITY_ENTITIES, IDENTITY_MIGRATIONS } from './index';
import { IdentityFeatureModule } from './identity.module';
import { HotProfileRepository } from './hot-profile.repository';
import { ResolveEventUseCase } from './resolve-event.use-case';

/** What the app composes (a library test must not import an app). */
function identityApp(config: KairosConfig) {
  return KairosServiceModule.register({
    config,
    feature: IdentityFeatureModule,
    persistence: { entities: IDENTITY_ENTITIES, migrations: IDENTITY_MIGRATIONS },
  });
}

interface ProfileRow extends Record<string, unknown> {
  id: string;
  version: number;
  email: string | null;
  first_name: string | null;
  birthday: string | null;
  timezone: string | null;
}

describe('identity-resolution (integration)', () => {
  const ns = uniqueName('identity');
  const schema = uniqueName('identity');
  let topics: Awaited<ReturnType<typeof createNamespacedTopics>>;
  let config: KairosConfig;
  let app: INestApplication;
  let producer: Producer;
  let collector: Awaited<ReturnType<typeof collectMessages>>;
  let redis: Redis;
  let keys: HotKeys;
  let baseUrl: string;
  const ADMIN_TOKEN = 'identity-admin-token-for-tests';

  beforeAll(async () => {
    topics = await createNamespacedTopics(ns, [
      Topics.EventsAccepted,
      Topics.EventsResolved,
      Topics.ProfileChanges,
      Topics.IdentityMerges,
      Topics.DeadLetter,
    ]);
    config = loadConfig('identity-resolution', {
      KAIROS_NAMESPACE: ns,
      KAIROS_PG_SCHEMA: schema,
      KAIROS_HTTP_PORT: '0',
      KAIROS_OUTBOX_POLL_MS: '50',
      KAIROS_KAFKA_RETRY_BACKOFF_MS: '20',
      KAIROS_KAFKA_MAX_ATTEMPTS: '2',
      KAIROS_ADMIN_TOKEN: ADMIN_TOKEN,
    });
    keys = new HotKeys(config.redis.keyPrefix);
    redis = createRedis(config.redis.url);
    collector = await collectMessages(
      [
        topics[Topics.EventsResolved],
        topics[Topics.ProfileChanges],
        topics[Topics.IdentityMerges],
        topics[Topics.DeadLetter],
      ],
      uniqueName('collect'),
    );
    app = await createService({
      config,
      module: identityApp(config),
      consumerGroup: ConsumerGroups.IdentityResolution,
      logger: ['error'],
    });
    producer = testKafka().producer();
    await producer.connect();
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await producer?.disconnect();
    await collector?.stop();
    await app?.close();
    if (redis) {
      await deleteKeysWithPrefix(redis, `${config.redis.keyPrefix}`);
      await redis.quit();
    }
    await dropSchema(schema);
    await deleteNamespacedTopics(ns).catch(() => undefined);
  });

  let clock = Date.parse('2025-03-01T00:00:00.000Z');
  /** An accepted event as ingest would publish it; event times move forward by default. */
  function accepted(overrides: Partial<AcceptedEvent>): AcceptedEvent {
    clock += 60_000;
    return {
      eventId: uniqueName('ev'),
      type: 'track',
      event: 'Product Viewed',
      traits: {},
      properties: {},
      context: {},
      timestamp: new Date(clock).toISOString(),
      receivedAt: new Date(clock).toISOString(),
      warnings: [],
      ...overrides,
    };
  }

  /** Produce to events.accepted.v1; one key per test keeps its events in order on one partition. */
  async function produce(key: string, ...events: AcceptedEvent[]) {
    await producer.send({
      topic: topics[Topics.EventsAccepted],
      messages: events.map((e) => ({
        key,
        value: JSON.stringify(e),
        headers: { [Headers.CeId]: e.eventId },
      })),
    });
  }

  function parsedOn<T>(
    topic: string,
    parse: (v: unknown) => T | undefined,
  ): Array<{ message: CollectedMessage; value: T }> {
    return collector.messages
      .filter((m) => m.topic === topic)
      .flatMap((message) => {
        const value = parse(JSON.parse(message.value ?? 'null'));
        return value === undefined ? [] : [{ message, value }];
      });
  }
  const contract =
    <S extends Parameters<typeof parseContract>[0]>(schema: S) =>
    (v: unknown) => {
      const parsed = parseContract(schema, v);
      if (!parsed.ok) throw new Error(`message breaks its contract: ${parsed.summary}`);
      return parsed.value as ReturnType<S['parse']>;
    };
  const resolvedEvents = () => parsedOn(topics[Topics.EventsResolved], contract(ResolvedEvent));
  const profileChanges = () => parsedOn(topics[Topics.ProfileChanges], contract(ProfileChanged));
  const merges = () => parsedOn(topics[Topics.IdentityMerges], contract(ProfilesMerged));

  const resolvedOf = (eventId: string) =>
    waitFor(() => resolvedEvents().find((r) => r.value.eventId === eventId), {
      description: `resolved ${eventId}`,
    });

  const profile = async (id: string) =>
    (
      await pgQuery<ProfileRow>(
        `SELECT *, birthday::text AS birthday FROM "${schema}".profiles WHERE id = $1`,
        [id],
      )
    )[0];

  const identifiersOf = async (id: string) =>
    pgQuery<{ type: string; value: string }>(
      `SELECT type, value FROM "${schema}".identifiers WHERE profile_id = $1 ORDER BY type, value`,
      [id],
    );

  it('resolves an identify and a track with the same userId to one profile, versioned and hot in Redis', async () => {
    const userId = uniqueName('u');
    const identify = accepted({
      type: 'identify',
      userId,
      traits: {
        email: `${userId}@example.com`,
        firstName: 'Ada',
        birthday: '1990-12-10',
        plan: 'pro',
      },
      context: { timezone: 'Europe/London' },
    });
    const track = accepted({
      userId,
      event: 'Product Added',
      properties: { product_id: 'sku-1', price: 24.5, quantity: 1 },
    });
    await produce(userId, identify, track);

    const first = await resolvedOf(identify.eventId);
    const second = await resolvedOf(track.eventId);
    expect(second.value.profileId).toBe(first.value.profileId);
    const profileId = first.value.profileId;
    expect(first.message.key).toBe(profileId);
    expect(first.message.headers[Headers.CeId]).toBe(identify.eventId);
    expect(first.message.headers[Headers.CeType]).toBe(EventTypes.ResolvedEvent);
    expect(second.value).toMatchObject({
      event: 'Product Added',
      properties: { product_id: 'sku-1' },
    });

    const row = await profile(profileId);
    expect(row).toMatchObject({
      version: 1,
      email: `${userId}@example.com`,
      first_name: 'Ada',
      birthday: '1990-12-10',
      timezone: 'Europe/London',
      traits: { plan: 'pro' },
    });
    expect(await identifiersOf(profileId)).toEqual([
      { type: 'email', value: `${userId}@example.com` },
      { type: 'user_id', value: userId },
    ]);
    // The track changed nothing: one version, one ProfileChanged.
    const versions = await pgQuery(
      `SELECT version, cause_event_id FROM "${schema}".profile_versions WHERE profile_id = $1`,
      [profileId],
    );
    expect(versions).toEqual([{ version: 1, cause_event_id: identify.eventId }]);
    const change = await waitFor(() =>
      profileChanges().find((c) => c.value.profileId === profileId),
    );
    expect(change.message.key).toBe(profileId);
    expect(change.message.headers[Headers.CeId]).toBe(`${profileId}:v1`);
    expect(change.value).toMatchObject({ version: 1, firstName: 'Ada', emailConsent: 'unknown' });

    const hot = await waitFor(async () => {
      const hash = await redis.hgetall(keys.profile(profileId));
      return hash.version ? hash : undefined;
    });
    expect(hot).toEqual({
      profileId,
      version: '1',
      email: `${userId}@example.com`,
      firstName: 'Ada',
      birthday: '1990-12-10',
      timezone: 'Europe/London',
      emailConsent: 'unknown',
      traits: '{"plan":"pro"}',
    });
  });

  it('links an anonymous visitor to the user an identify names', async () => {
    const anonymousId = uniqueName('anon');
    const userId = uniqueName('u');
    const browse = accepted({ anonymousId, event: 'Product Viewed' });
    const identify = accepted({
      type: 'identify',
      anonymousId,
      userId,
      traits: { firstName: 'Grace' },
    });
    const buy = accepted({ userId, event: 'Order Completed' });
    await produce(anonymousId, browse, identify, buy);

    const ids = await Promise.all(
      [browse, identify, buy].map(async (e) => (await resolvedOf(e.eventId)).value.profileId),
    );
    expect(new Set(ids).size).toBe(1);
    expect(await identifiersOf(ids[0])).toEqual([
      { type: 'anonymous_id', value: anonymousId },
      { type: 'user_id', value: userId },
    ]);
    // Created by the track (v1), changed by the identify (new identifier + name: v2).
    expect((await profile(ids[0])).version).toBe(2);
    expect(merges().some((m) => m.value.survivorProfileId === ids[0])).toBe(false);
  });

  it('merges two profiles an event shows to be one person, audited and announced', async () => {
    const userId = uniqueName('u');
    const email = `${uniqueName('m')}@example.com`;
    const key = uniqueName('k');
    const older = accepted({ type: 'identify', userId, traits: { firstName: 'Old', plan: 'pro' } });
    const newer = accepted({
      type: 'identify',
      anonymousId: uniqueName('a'),
      traits: { email, firstName: 'New' },
    });
    await produce(key, older, newer);
    const survivorId = (await resolvedOf(older.eventId)).value.profileId;
    const mergedId = (await resolvedOf(newer.eventId)).value.profileId;
    expect(mergedId).not.toBe(survivorId);
    await waitFor(async () => (await redis.hget(keys.profile(mergedId), 'version')) === '1');

    const evidence = accepted({ type: 'identify', userId, traits: { email } });
    await produce(key, evidence);
    expect((await resolvedOf(evidence.eventId)).value.profileId).toBe(survivorId);

    const announced = await waitFor(() =>
      merges().find((m) => m.value.mergedProfileId === mergedId),
    );
    expect(announced.value).toMatchObject({
      survivorProfileId: survivorId,
      rule: 'shared-identifier:email',
      evidenceEventId: evidence.eventId,
    });
    expect(announced.message.key).toBe(survivorId);
    const [audit] = await pgQuery(`SELECT * FROM "${schema}".merges WHERE merged_profile_id = $1`, [
      mergedId,
    ]);
    expect(audit).toMatchObject({
      id: announced.value.mergeId,
      survivor_profile_id: survivorId,
      rule: 'shared-identifier:email',
    });
    expect(audit.identifiers).toEqual([
      { type: 'anonymous_id', value: newer.anonymousId },
      { type: 'email', value: email },
    ]);
    expect(await profile(mergedId)).toBeUndefined();
    expect((await identifiersOf(survivorId)).map((i) => i.type)).toEqual([
      'anonymous_id',
      'email',
      'user_id',
    ]);
    // Last write wins by event time: the merged profile's later firstName, the survivor's plan.
    expect(await profile(survivorId)).toMatchObject({
      first_name: 'New',
      email,
      traits: { plan: 'pro' },
    });
    const change = await waitFor(() =>
      profileChanges().find(
        (c) => c.value.profileId === survivorId && c.value.identifiers.length === 3,
      ),
    );
    expect(change.value.version).toBe(2);
    // The hot copy follows: survivor at its new version, the merged profile gone.
    await waitFor(async () => (await redis.hget(keys.profile(survivorId), 'version')) === '2');
    await waitFor(async () => (await redis.exists(keys.profile(mergedId))) === 0);
  });

  it('handles a redelivered event once', async () => {
    const userId = uniqueName('u');
    const event = accepted({ userId, event: 'Product Viewed' });
    const sentinel = accepted({ userId, event: 'Product Viewed' });
    await produce(userId, event, event, sentinel);
    await resolvedOf(sentinel.eventId);
    // The relay publishes in commit order, so the sentinel's message comes after both copies'.
    expect(resolvedEvents().filter((r) => r.value.eventId === event.eventId)).toHaveLength(1);
    const claims = await pgQuery(`SELECT 1 FROM "${schema}".processed_events WHERE event_id = $1`, [
      event.eventId,
    ]);
    expect(claims).toHaveLength(1);
  });

  it('does not let an older identify that arrives late overwrite a newer email', async () => {
    const userId = uniqueName('u');
    const newer = accepted({
      type: 'identify',
      userId,
      traits: { email: `new-${userId}@example.com` },
    });
    const older = accepted({
      type: 'identify',
      userId,
      traits: { email: `old-${userId}@example.com`, lastName: 'Hopper' },
      timestamp: new Date(Date.parse(newer.timestamp) - 3_600_000).toISOString(),
    });
    await produce(userId, newer, older);
    const profileId = (await resolvedOf(newer.eventId)).value.profileId;
    expect((await resolvedOf(older.eventId)).value.profileId).toBe(profileId);

    // The late event still links its email and fills a field nobody set later (v2)...
    const row = await profile(profileId);
    expect(row).toMatchObject({
      version: 2,
      email: `new-${userId}@example.com`,
      last_name: 'Hopper',
    });
    // ...and the hot copy, at the latest version, shows the newer email.
    await waitFor(async () => (await redis.hget(keys.profile(profileId), 'version')) === '2');
    expect(await redis.hget(keys.profile(profileId), 'email')).toBe(`new-${userId}@example.com`);
  });

  it('never creates two profiles for one new identifier resolved concurrently', async () => {
    const useCase = app.get(ResolveEventUseCase);
    const userId = uniqueName('race');
    const events = Array.from({ length: 8 }, (_, i) =>
      accepted({ type: 'identify', userId, anonymousId: `${userId}-a${i}`, traits: { n: i } }),
    );
    const outcomes = await Promise.all(events.map((e) => useCase.execute(e)));
    const ids = new Set(
      outcomes.map((o) => (o.outcome === 'resolved' ? o.profileId : 'duplicate')),
    );
    expect(ids.size).toBe(1);
    const [profileId] = [...ids];
    expect(await identifiersOf(profileId)).toHaveLength(9);
    const owners = await pgQuery(
      `SELECT DISTINCT profile_id FROM "${schema}".identifiers WHERE value LIKE $1`,
      [`${userId}%`],
    );
    expect(owners).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === 'resolved' && o.created)).toHaveLength(1);
  });

  it('never lets a stale profile version overwrite a newer one in Redis', async () => {
    const hot = app.get(HotProfileRepository);
    const profileId = '0b0e7a52-5f0c-4c8e-8a55-3c7f9d1e2a44';
    const snapshot = (version: number, email: string | null): ProfileChanged => ({
      profileId,
      version,
      email,
      phone: null,
      firstName: 'Ada',
      lastName: null,
      birthday: null,
      timezone: null,
      emailConsent: 'subscribed',
      traits: {},
      identifiers: [],
      updatedAt: new Date().toISOString(),
    });
    expect(await hot.write(snapshot(5, 'v5@example.com'))).toBe(true);
    expect(await hot.write(snapshot(4, 'v4@example.com'))).toBe(false);
    expect(await hot.write(snapshot(5, 'again@example.com'))).toBe(false);
    expect(await redis.hgetall(keys.profile(profileId))).toMatchObject({
      version: '5',
      email: 'v5@example.com',
    });
    // A newer version replaces the hash whole: a cleared field disappears.
    expect(await hot.write(snapshot(6, null))).toBe(true);
    const hash = await redis.hgetall(keys.profile(profileId));
    expect(hash.version).toBe('6');
    expect('email' in hash).toBe(false);
  });

  describe('guard rails', () => {
    it('refuses a merge that would put two userIds on one profile, and audits it', async () => {
      const key = uniqueName('k');
      const email = `${uniqueName('shared')}@example.com`;
      const first = accepted({ type: 'identify', userId: uniqueName('u1'), traits: { email } });
      const secondUser = uniqueName('u2');
      const second = accepted({ type: 'identify', userId: secondUser, traits: { firstName: 'B' } });
      await produce(key, first, second);
      const p1 = (await resolvedOf(first.eventId)).value.profileId;
      const p2 = (await resolvedOf(second.eventId)).value.profileId;

      // Same email, different userId: the userId (higher priority) decides.
      const evidence = accepted({ type: 'identify', userId: secondUser, traits: { email } });
      await produce(key, evidence);
      expect((await resolvedOf(evidence.eventId)).value.profileId).toBe(p2);

      expect(await profile(p1)).toBeDefined();
      expect((await identifiersOf(p1)).map((i) => i.type)).toEqual(['email', 'user_id']);
      expect(await identifiersOf(p2)).toEqual([{ type: 'user_id', value: secondUser }]);
      const refusals = await pgQuery(
        `SELECT * FROM "${schema}".merge_refusals WHERE evidence_event_id = $1`,
        [evidence.eventId],
      );
      expect(refusals).toEqual([
        expect.objectContaining({
          profile_id: p2,
          other_profile_id: p1,
          rule: 'limit:user_id',
          identifiers: [{ type: 'email', value: email }],
        }),
      ]);
      const mergesOfP1 = await pgQuery(
        `SELECT 1 FROM "${schema}".merges WHERE merged_profile_id = $1 OR survivor_profile_id = $1`,
        [p1],
      );
      expect(mergesOfP1).toHaveLength(0);
    });

    it('never links junk identifiers, so two people sending "null" stay apart', async () => {
      const key = uniqueName('k');
      const a = accepted({
        type: 'identify',
        userId: uniqueName('ua'),
        anonymousId: 'null',
        traits: { email: 'test@test.com', phone: '0000000000' },
      });
      const b = accepted({ type: 'identify', userId: uniqueName('ub'), anonymousId: 'null' });
      await produce(key, a, b);
      const pa = (await resolvedOf(a.eventId)).value.profileId;
      const pb = (await resolvedOf(b.eventId)).value.profileId;
      expect(pa).not.toBe(pb);
      expect(await identifiersOf(pa)).toEqual([{ type: 'user_id', value: a.userId }]);
      const junk = await pgQuery(
        `SELECT 1 FROM "${schema}".identifiers WHERE value IN ('null', 'test@test.com', '0000000000')`,
      );
      expect(junk).toHaveLength(0);
    });

    it('links a phone as an identifier, normalized', async () => {
      const userId = uniqueName('u');
      const event = accepted({ type: 'identify', userId, traits: { phone: '+49 151 2345-6789' } });
      await produce(userId, event);
      const id = (await resolvedOf(event.eventId)).value.profileId;
      expect(await identifiersOf(id)).toContainEqual({ type: 'phone', value: '+4915123456789' });
    });

    it('dead-letters an event whose only identifiers are junk', async () => {
      const event = accepted({ anonymousId: 'undefined' });
      await produce(event.eventId, event);
      const dead = await waitFor(() =>
        collector.messages.find(
          (m) => m.topic === topics[Topics.DeadLetter] && m.value?.includes(event.eventId),
        ),
      );
      expect(dead.headers[Headers.DlqReasonCode]).toBe('NO_USABLE_IDENTIFIER');
    });
  });

  /** Call the admin API; `token: null` sends no Authorization header. */
  async function admin(
    method: 'GET' | 'POST',
    path: string,
    options: { body?: unknown; token?: string | null } = {},
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const token = options.token === undefined ? ADMIN_TOKEN : options.token;
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  describe('unmerge and the admin API', () => {
    let survivorId: string;
    let mergedId: string;
    let mergeId: string;
    let email: string;
    let anonymousId: string;

    beforeAll(async () => {
      const userId = uniqueName('u');
      email = `${uniqueName('Split')}@example.com`.toLowerCase();
      anonymousId = uniqueName('a');
      const key = uniqueName('k');
      const older = accepted({
        type: 'identify',
        userId,
        traits: { firstName: 'Old', plan: 'free' },
      });
      const newer = accepted({
        type: 'identify',
        anonymousId,
        traits: { email, firstName: 'New', lastName: 'Other', team: 'x' },
      });
      await produce(key, older, newer);
      survivorId = (await resolvedOf(older.eventId)).value.profileId;
      mergedId = (await resolvedOf(newer.eventId)).value.profileId;
      const evidence = accepted({ anonymousId, userId });
      await produce(key, evidence);
      await resolvedOf(evidence.eventId);
      mergeId = (await waitFor(() => merges().find((m) => m.value.mergedProfileId === mergedId)))
        .value.mergeId;
      expect(await profile(survivorId)).toMatchObject({ first_name: 'New', version: 2 });
      await waitFor(async () => (await redis.exists(keys.profile(mergedId))) === 0);
    });

    it('restores the merged profile and takes its identifiers and values back from the survivor', async () => {
      const answer = await admin('POST', `/admin/merges/${mergeId}/unmerge`, {
        body: { reason: 'different people' },
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        mergeId,
        survivorProfileId: survivorId,
        restoredProfileId: mergedId,
        identifiers: [
          { type: 'anonymous_id', value: anonymousId },
          { type: 'email', value: email },
        ],
        survivorVersion: 3,
        restoredVersion: 2,
      });

      expect(await profile(mergedId)).toMatchObject({
        version: 2,
        email,
        first_name: 'New',
        traits: { team: 'x' },
      });
      expect(await identifiersOf(mergedId)).toEqual([
        { type: 'anonymous_id', value: anonymousId },
        { type: 'email', value: email },
      ]);
      const survivor = await profile(survivorId);
      expect(survivor).toMatchObject({ version: 3, first_name: 'Old', email: null });
      expect(survivor.traits).toEqual({ plan: 'free' });
      expect((await identifiersOf(survivorId)).map((i) => i.type)).toEqual(['user_id']);
      const [audit] = await pgQuery(`SELECT * FROM "${schema}".merges WHERE id = $1`, [mergeId]);
      expect(audit).toMatchObject({ status: 'reverted', revert_reason: 'different people' });
      expect(audit.reverted_at).not.toBeNull();

      const announced = await waitFor(() =>
        merges().find((m) => m.value.mergeId === mergeId && m.value.kind === 'unmerge'),
      );
      expect(announced.value).toMatchObject({
        survivorProfileId: survivorId,
        mergedProfileId: mergedId,
      });
      expect(announced.message.headers[Headers.CeId]).toBe(`${mergeId}:unmerge`);
      await waitFor(() =>
        profileChanges().find((c) => c.value.profileId === mergedId && c.value.version === 2),
      );
      await waitFor(() =>
        profileChanges().find((c) => c.value.profileId === survivorId && c.value.version === 3),
      );
      // The hot copy comes back for the restored profile, and follows the survivor.
      await waitFor(async () => (await redis.hget(keys.profile(mergedId), 'version')) === '2');
      await waitFor(
        async () => (await redis.hget(keys.profile(survivorId), 'firstName')) === 'Old',
      );
    });

    it('refuses to revert a merge twice, or one that does not exist', async () => {
      const again = await admin('POST', `/admin/merges/${mergeId}/unmerge`);
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'MERGE_ALREADY_REVERTED' });
      const missing = await admin('POST', `/admin/merges/${randomUUID()}/unmerge`);
      expect(missing.status).toBe(404);
      const bad = await admin('POST', '/admin/merges/not-a-uuid/unmerge');
      expect(bad.status).toBe(400);
      expect(String(bad.body.message)).toMatch(/UUID/);
    });

    it('shows a profile with its identifiers, versions and merges', async () => {
      const view = await admin('GET', `/admin/profiles/${survivorId}`);
      expect(view.status).toBe(200);
      expect(view.body.profile).toMatchObject({ id: survivorId, version: 3, firstName: 'Old' });
      expect(view.body.identifiers).toEqual([expect.objectContaining({ type: 'user_id' })]);
      expect((view.body.versions as { version: number }[]).map((v) => v.version)).toEqual([
        3, 2, 1,
      ]);
      expect(view.body.merges).toEqual([
        expect.objectContaining({
          id: mergeId,
          role: 'survivor',
          otherProfileId: mergedId,
          status: 'reverted',
        }),
      ]);
    });

    it('finds a profile by any identifier, normalized like the resolver stores it', async () => {
      const byEmail = await admin(
        'GET',
        `/admin/profiles?identifierType=email&value=${encodeURIComponent(` ${email.toUpperCase()} `)}`,
      );
      expect(byEmail.status).toBe(200);
      expect((byEmail.body.profile as { id: string }).id).toBe(mergedId);
      const unknown = await admin(
        'GET',
        '/admin/profiles?identifierType=email&value=nobody%40example.com',
      );
      expect(unknown.status).toBe(404);
      const badType = await admin('GET', '/admin/profiles?identifierType=shoe_size&value=9');
      expect(badType.status).toBe(400);
      expect(String(badType.body.message)).toMatch(/identifierType must be one of/);
      const noValue = await admin('GET', '/admin/profiles?identifierType=email');
      expect(noValue.status).toBe(400);
    });

    it('answers 404 for an unknown profile, and says where a merged-away one went', async () => {
      expect((await admin('GET', `/admin/profiles/${randomUUID()}`)).status).toBe(404);
      const userId = uniqueName('u');
      const a = accepted({ type: 'identify', userId });
      const b = accepted({ type: 'identify', anonymousId: uniqueName('a') });
      await produce(userId, a, b);
      const pa = (await resolvedOf(a.eventId)).value.profileId;
      const pb = (await resolvedOf(b.eventId)).value.profileId;
      const link = accepted({ userId, anonymousId: b.anonymousId });
      await produce(userId, link);
      await resolvedOf(link.eventId);
      const gone = await admin('GET', `/admin/profiles/${pb}`);
      expect(gone.status).toBe(404);
      expect(String(gone.body.message)).toContain(`merged into ${pa}`);
    });

    it('needs the admin token', async () => {
      expect((await admin('GET', `/admin/profiles/${survivorId}`, { token: null })).status).toBe(
        401,
      );
      expect(
        (await admin('GET', `/admin/profiles/${survivorId}`, { token: 'wrong-token-wrong-token' }))
          .status,
      ).toBe(401);
    });
  });

  it('dead-letters an accepted event that breaks its contract', async () => {
    const marker = uniqueName('bad');
    await producer.send({
      topic: topics[Topics.EventsAccepted],
      messages: [{ key: marker, value: JSON.stringify({ eventId: marker }) }],
    });
    const dead = await waitFor(() =>
      collector.messages.find(
        (m) => m.topic === topics[Topics.DeadLetter] && m.value?.includes(marker),
      ),
    );
    expect(dead.headers[Headers.DlqReasonCode]).toBe('SCHEMA_VIOLATION');
  });
});

describe('identity migrations', () => {
  it('create the tables and drop them again on revert', async () => {
    const schema = uniqueName('identity_mig');
    const dataSource = createDataSource({
      url: testStack.postgresUrl,
      schema,
      entities: IDENTITY_ENTITIES,
      migrations: IDENTITY_MIGRATIONS,
    });
    const tables = async () =>
      (
        await pgQuery<{ t: string }>(
          `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`,
          [schema],
        )
      ).map((r) => r.t);
    try {
      await prepareDatabase(dataSource);
      expect(await tables()).toEqual([
        'blocking_keys',
        'identifiers',
        'match_reviews',
        'merge_refusals',
        'merges',
        'migrations',
        'outbox',
        'processed_events',
        'profile_versions',
        'profiles',
      ]);
      for (let i = 0; i < IDENTITY_MIGRATIONS.length; i++) await revertLastMigration(dataSource);
      expect(await tables()).toEqual(['migrations']);
    } finally {
      await dataSource.destroy().catch(() => undefined);
      await dropSchema(schema);
    }
  });
});
