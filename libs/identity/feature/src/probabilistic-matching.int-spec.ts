import { randomInt, randomUUID } from 'node:crypto';
import { type INestApplication } from '@nestjs/common';
import { loadConfig, type KairosConfig } from '@kairos/config';
import {
  ConsumerGroups,
  Headers,
  ProfilesMerged,
  ResolvedEvent,
  Topics,
  parseContract,
  type AcceptedEvent,
} from '@kairos/contracts';
import { createRedis, type Redis } from '@kairos/hot-store';
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
  deleteKeysWithPrefix,
} from '@kairos/testing';
import type { Producer } from 'kafkajs';
import { IDENTITY_ENTITIES, IDENTITY_MIGRATIONS } from './index';
import { IdentityFeatureModule } from './identity.module';
import { MatchBatchService } from './match-batch.service';

/** A letters-only name nobody else in the schema has (names are normalized to letters). */
function uniquePersonName(): string {
  const letters = Array.from({ length: 9 }, () => String.fromCharCode(97 + randomInt(26))).join('');
  return `Q${letters}`;
}

interface ReviewRow extends Record<string, unknown> {
  id: string;
  profile_a: string;
  profile_b: string;
  status: string;
  score: number;
  comparisons: { fields: Record<string, { level: string }> };
}

describe('probabilistic matching (integration)', () => {
  const ns = uniqueName('idmatch');
  const schema = uniqueName('idmatch');
  const ADMIN_TOKEN = 'identity-match-admin-token';
  let topics: Awaited<ReturnType<typeof createNamespacedTopics>>;
  let config: KairosConfig;
  let app: INestApplication;
  let producer: Producer;
  let collector: Awaited<ReturnType<typeof collectMessages>>;
  let redis: Redis;
  let baseUrl: string;

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
    redis = createRedis(config.redis.url);
    collector = await collectMessages(
      [topics[Topics.EventsResolved], topics[Topics.IdentityMerges], topics[Topics.DeadLetter]],
      uniqueName('collect'),
    );
    app = await createService({
      config,
      module: KairosServiceModule.register({
        config,
        feature: IdentityFeatureModule,
        persistence: { entities: IDENTITY_ENTITIES, migrations: IDENTITY_MIGRATIONS },
      }),
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

  let clock = Date.parse('2025-04-01T00:00:00.000Z');
  /** An identify as ingest would accept it: its own anonymous id and email, no userId. */
  function identify(traits: AcceptedEvent['traits']): AcceptedEvent {
    clock += 60_000;
    return {
      eventId: uniqueName('ev'),
      type: 'identify',
      anonymousId: uniqueName('anon'),
      traits: { email: `${uniqueName('m')}@example.com`.toLowerCase(), ...traits },
      properties: {},
      context: {},
      timestamp: new Date(clock).toISOString(),
      receivedAt: new Date(clock).toISOString(),
      warnings: [],
    };
  }

  /** One key for a test's events: one partition, so they are resolved in order. */
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

  const on = (topic: string) =>
    collector.messages
      .filter((m) => m.topic === topic)
      .map((m) => ({ message: m, value: JSON.parse(m.value ?? 'null') as unknown }));
  /**
   * The profile an event was attributed to. Matching runs in the resolving transaction, so once
   * the ResolvedEvent is out, every decision about that event is committed too.
   */
  const resolvedTo = async (event: AcceptedEvent): Promise<string> => {
    const resolved = await waitFor(
      () =>
        on(topics[Topics.EventsResolved])
          .map((m) => parseContract(ResolvedEvent, m.value))
          .flatMap((p) => (p.ok && p.value.eventId === event.eventId ? [p.value] : []))[0],
      { description: `resolved ${event.eventId}` },
    );
    return resolved.profileId;
  };
  const mergeAnnouncements = () =>
    on(topics[Topics.IdentityMerges]).map(({ message, value }) => {
      const parsed = parseContract(ProfilesMerged, value);
      if (!parsed.ok) throw new Error(`ProfilesMerged breaks its contract: ${parsed.summary}`);
      return { message, value: parsed.value };
    });
  const profileExists = async (id: string) =>
    (await pgQuery(`SELECT 1 FROM "${schema}".profiles WHERE id = $1`, [id])).length === 1;
  const reviewsOf = (x: string, y: string) =>
    pgQuery<ReviewRow>(
      `SELECT * FROM "${schema}".match_reviews WHERE profile_a = $1 AND profile_b = $2 ORDER BY created_at`,
      x < y ? [x, y] : [y, x],
    );
  const mergesOf = (id: string) =>
    pgQuery(
      `SELECT * FROM "${schema}".merges WHERE survivor_profile_id = $1 OR merged_profile_id = $1`,
      [id],
    );

  async function admin(
    method: 'GET' | 'POST',
    path: string,
    token: string | null = ADMIN_TOKEN,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** Two profiles (no shared identifier) agreeing on names and birth year only: a review. */
  async function weakPair() {
    const firstName = uniquePersonName();
    const lastName = uniquePersonName();
    const a = identify({ firstName, lastName, birthday: '1984-07-19' });
    const b = identify({ firstName, lastName, birthday: '1984-01-01' });
    const key = uniqueName('k');
    await produce(key, a, b);
    const aId = await resolvedTo(a);
    const bId = await resolvedTo(b);
    return { aId, bId, a, b, key, firstName, lastName };
  }

  it('merges two profiles without a shared identifier that match strongly (rule probabilistic), audited and announced', async () => {
    const person = { firstName: uniquePersonName(), lastName: uniquePersonName() };
    const a = identify({
      ...person,
      birthday: '1979-03-02',
      address: {
        street: '12 Harbour Lane',
        city: 'Bristol',
        postal_code: 'BS1 4DJ',
        country: 'GB',
      },
    });
    const b = identify({
      ...person,
      birthday: '1979-03-02',
      address: { street: '12 Harbour Ln', city: 'Bristol', postal_code: 'bs14dj', country: 'GB' },
    });
    const key = uniqueName('k');
    await produce(key, a, b);
    const aId = await resolvedTo(a);
    const bId = await resolvedTo(b);
    expect(bId).not.toBe(aId);

    // b's profile is merged into the older a, on b's identify as evidence.
    const announced = await waitFor(() =>
      mergeAnnouncements().find((m) => m.value.mergedProfileId === bId),
    );
    expect(announced.value).toMatchObject({
      survivorProfileId: aId,
      rule: 'probabilistic',
      evidenceEventId: b.eventId,
      kind: 'merge',
    });
    expect(announced.message.key).toBe(aId);
    const [audit] = await mergesOf(bId);
    expect(audit).toMatchObject({
      id: announced.value.mergeId,
      survivor_profile_id: aId,
      rule: 'probabilistic',
      status: 'applied',
      survivor_version_before: 1,
    });
    expect(audit.identifiers).toEqual(
      expect.arrayContaining([{ type: 'anonymous_id', value: b.anonymousId }]),
    );
    expect(await profileExists(bId)).toBe(false);
    const [survivor] = await pgQuery<{ version: number }>(
      `SELECT version FROM "${schema}".profiles WHERE id = $1`,
      [aId],
    );
    expect(survivor.version).toBe(2);
    const versions = await pgQuery(
      `SELECT version, cause_event_id FROM "${schema}".profile_versions WHERE profile_id = $1 ORDER BY version`,
      [aId],
    );
    expect(versions).toEqual([
      { version: 1, cause_event_id: a.eventId },
      { version: 2, cause_event_id: b.eventId },
    ]);
    // The merged profile's keys went with it; the survivor's are indexed.
    expect(
      await pgQuery(`SELECT 1 FROM "${schema}".blocking_keys WHERE profile_id = $1`, [bId]),
    ).toHaveLength(0);
    expect(
      (await pgQuery(`SELECT 1 FROM "${schema}".blocking_keys WHERE profile_id = $1`, [aId]))
        .length,
    ).toBeGreaterThan(0);
    expect(await reviewsOf(aId, bId)).toEqual([]);
  });

  it('queues a weaker match for review, then merges it through the admin API', async () => {
    const { aId, bId } = await weakPair();
    expect(bId).not.toBe(aId);
    const [review] = await reviewsOf(aId, bId);
    expect(review).toMatchObject({ status: 'open' });
    expect(review.score).toBeGreaterThanOrEqual(8);
    expect(review.score).toBeLessThan(13);
    expect(review.comparisons.fields.birthDate.level).toBe('year-only');
    expect(await profileExists(bId)).toBe(true);

    expect((await admin('GET', '/admin/match-reviews?status=open', null)).status).toBe(401);
    const listed = await admin('GET', '/admin/match-reviews?status=open');
    expect(listed.status).toBe(200);
    const shown = (listed.body.reviews as { id: string }[]).find((r) => r.id === review.id);
    expect(shown).toMatchObject({
      profileA: review.profile_a,
      profileB: review.profile_b,
      status: 'open',
      comparisons: { fields: { firstName: { level: 'exact' } } },
    });
    // No PII in the queue: levels and weights only.
    expect(JSON.stringify(shown)).not.toMatch(/1984|@example\.com/);

    const merged = await admin('POST', `/admin/match-reviews/${review.id}/merge`);
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({
      reviewId: review.id,
      status: 'merged',
      survivorProfileId: aId,
      mergedProfileId: bId,
    });
    const announced = await waitFor(() =>
      mergeAnnouncements().find((m) => m.value.mergedProfileId === bId),
    );
    expect(announced.value).toMatchObject({
      mergeId: merged.body.mergeId,
      survivorProfileId: aId,
      rule: 'probabilistic',
      evidenceEventId: `match-review:${review.id}`,
    });
    expect(await profileExists(bId)).toBe(false);
    expect((await reviewsOf(aId, bId)).map((r) => r.status)).toEqual(['merged']);
    // Decided once: a second decision is a conflict, an unknown review is not found.
    expect((await admin('POST', `/admin/match-reviews/${review.id}/reject`)).status).toBe(409);
    expect((await admin('POST', `/admin/match-reviews/${randomUUID()}/merge`)).status).toBe(404);
    const open = await admin('GET', '/admin/match-reviews');
    expect((open.body.reviews as { id: string }[]).some((r) => r.id === review.id)).toBe(false);
  });

  it('does not re-open a rejected review on the same evidence, nor merge the pair automatically later', async () => {
    const { aId, bId, key } = await weakPair();
    const [review] = await reviewsOf(aId, bId);
    const rejected = await admin('POST', `/admin/match-reviews/${review.id}/reject`);
    expect(rejected).toMatchObject({
      status: 200,
      body: { reviewId: review.id, status: 'rejected' },
    });

    // A change matching looks at, with the same evidence (another email: still "different").
    const again = identify({ email: `${uniqueName('other')}@example.com`.toLowerCase() });
    const linkB = { ...again, anonymousId: (await anonymousIdOf(bId))! };
    await produce(key, linkB);
    expect(await resolvedTo(linkB)).toBe(bId);
    expect((await reviewsOf(aId, bId)).map((r) => r.status)).toEqual(['rejected']);

    // The batch job takes the same decision.
    await app.get(MatchBatchService).run({ pageSize: 50 });
    expect((await reviewsOf(aId, bId)).map((r) => r.status)).toEqual(['rejected']);

    // New evidence (now the same home) that would score an auto-merge: only a new review.
    const home = { street: '7 Mill Road', city: 'Leeds', postal_code: 'LS1 2AB', country: 'GB' };
    const moveA = { ...identify({ address: home }), anonymousId: (await anonymousIdOf(aId))! };
    const moveB = { ...identify({ address: home }), anonymousId: (await anonymousIdOf(bId))! };
    await produce(key, moveA, moveB);
    await resolvedTo(moveB);
    expect((await reviewsOf(aId, bId)).map((r) => r.status)).toEqual(['rejected', 'open']);
    expect(await profileExists(aId)).toBe(true);
    expect(await profileExists(bId)).toBe(true);
    expect(await mergesOf(bId)).toEqual([]);
  });

  it('does not auto-merge twins (same address and birth date, different first names)', async () => {
    const lastName = uniquePersonName();
    const home = { street: '3 Orchard Close', city: 'York', postal_code: 'YO1 7HH', country: 'GB' };
    const first = identify({
      firstName: uniquePersonName(),
      lastName,
      birthday: '2001-05-05',
      address: home,
    });
    const second = identify({
      firstName: uniquePersonName(),
      lastName,
      birthday: '2001-05-05',
      address: home,
    });
    await produce(uniqueName('k'), first, second);
    const aId = await resolvedTo(first);
    const bId = await resolvedTo(second);
    expect(bId).not.toBe(aId);
    expect(await profileExists(aId)).toBe(true);
    expect(await profileExists(bId)).toBe(true);
    expect(await mergesOf(bId)).toEqual([]);
    // At most a question for an operator, never an automatic merge.
    for (const review of await reviewsOf(aId, bId)) expect(review.status).toBe('open');
  });

  it('the batch job matches profiles that have no blocking keys yet, with the same decisions', async () => {
    const person = { firstName: uniquePersonName(), lastName: uniquePersonName() };
    const traits = {
      ...person,
      birthday: '1966-11-30',
      address: { street: '1 Quay Street', postal_code: 'M3 3JE' },
    };
    const a = identify(traits);
    const b = identify(traits);
    const key = uniqueName('k');
    await produce(key, a);
    const aId = await resolvedTo(a);
    // As if b's profile was written before blocking keys existed: hide a's keys while b is
    // resolved, so the incremental path finds no candidate, then forget b's keys too.
    const saved = await pgQuery<{ key: string }>(
      `DELETE FROM "${schema}".blocking_keys WHERE profile_id = $1 RETURNING key`,
      [aId],
    );
    await produce(key, b);
    const bId = await resolvedTo(b);
    expect(bId).not.toBe(aId);
    await pgQuery(`DELETE FROM "${schema}".blocking_keys WHERE profile_id = $1`, [bId]);
    expect(saved.length).toBeGreaterThan(0);

    const pages: number[] = [];
    const counts = await app
      .get(MatchBatchService)
      .run({ pageSize: 2, runId: 'match-batch:test', onPage: (p) => pages.push(p.profiles) });
    expect(pages.length).toBeGreaterThan(1);
    expect(counts.merges).toBeGreaterThanOrEqual(1);
    const [audit] = await mergesOf(bId);
    expect(audit).toMatchObject({
      survivor_profile_id: aId,
      merged_profile_id: bId,
      rule: 'probabilistic',
      evidence_event_id: 'match-batch:test',
    });
    await waitFor(() => mergeAnnouncements().find((m) => m.value.mergedProfileId === bId));
  });

  it('an unmerge of a probabilistic merge counts as a rejection: the pair is not merged again', async () => {
    const traits = {
      firstName: uniquePersonName(),
      lastName: uniquePersonName(),
      birthday: '1991-09-09',
      address: { street: '5 Castle Street', postal_code: 'EH1 2DP' },
    };
    const a = identify(traits);
    const b = identify(traits);
    const key = uniqueName('k');
    await produce(key, a, b);
    const aId = await resolvedTo(a);
    const bId = await resolvedTo(b);
    const announced = await waitFor(() =>
      mergeAnnouncements().find((m) => m.value.mergedProfileId === bId),
    );
    const unmerged = await fetch(`${baseUrl}/admin/merges/${announced.value.mergeId}/unmerge`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'two people' }),
    });
    expect(unmerged.status).toBe(200);
    expect(await profileExists(bId)).toBe(true);
    expect((await reviewsOf(aId, bId)).map((r) => r.status)).toEqual(['rejected']);
    // Both are indexed again, and b's next identify (same evidence) leaves them apart.
    expect(
      (await pgQuery(`SELECT 1 FROM "${schema}".blocking_keys WHERE profile_id = $1`, [bId]))
        .length,
    ).toBeGreaterThan(0);
    const again = { ...identify({}), anonymousId: b.anonymousId };
    await produce(key, again);
    expect(await resolvedTo(again)).toBe(bId);
    expect(await profileExists(bId)).toBe(true);
    expect((await reviewsOf(aId, bId)).map((r) => r.status)).toEqual(['rejected']);
  });

  async function anonymousIdOf(profileId: string): Promise<string | undefined> {
    const rows = await pgQuery<{ value: string }>(
      `SELECT value FROM "${schema}".identifiers WHERE profile_id = $1 AND type = 'anonymous_id' LIMIT 1`,
      [profileId],
    );
    return rows[0]?.value;
  }
});
