import { randomInt } from 'node:crypto';
import { type INestApplication } from '@nestjs/common';
import { loadConfig, type KairosConfig } from '@kairos/config';
import {
  ConsumerGroups,
  EventTypes,
  Headers,
  Topics,
  physicalTopic,
  type AcceptedEvent,
} from '@kairos/contracts';
import { createRedis, type Redis } from '@kairos/hot-store';
import { KafkaPublisher } from '@kairos/messaging';
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

/**
 * A crash between the Postgres commit and the Kafka send loses nothing and duplicates nothing.
 *
 * The first app's relay cannot publish (its KafkaPublisher.produce throws, as with a broker out
 * of reach): events are resolved and committed with their outbox rows, none is sent. The app is
 * then closed (its shutdown drain fails too — what a crash leaves behind: committed, unsent
 * rows) and a fresh app starts on the same schema and namespace. Its relay publishes every row.
 *
 * Exactly once per ce_id, counted on the broker itself (the topics' offsets), not only by the
 * collector: no duplicate can occur here because no row was ever acknowledged by Kafka without
 * being marked published (the failing publisher threw before sending anything), and the second
 * app does not resolve the events again — its consumer resumes from the group's committed
 * offsets, and a redelivery would be a no-op anyway (processed_events claim, no new rows). The
 * relay's own at-least-once window (Kafka acked, process died before marking) would produce a
 * dedupe-visible duplicate with the same ce_id; this scenario does not open it.
 */
describe('identity outbox across a crash (integration)', () => {
  const ns = uniqueName('idcrash');
  const schema = uniqueName('idcrash');
  let topics: Awaited<ReturnType<typeof createNamespacedTopics>>;
  let config: KairosConfig;
  let first: INestApplication | undefined;
  let second: INestApplication | undefined;
  let producer: Producer;
  let collector: Awaited<ReturnType<typeof collectMessages>>;
  let redis: Redis;

  const start = () =>
    createService({
      config,
      module: KairosServiceModule.register({
        config,
        feature: IdentityFeatureModule,
        persistence: { entities: IDENTITY_ENTITIES, migrations: IDENTITY_MIGRATIONS },
      }),
      consumerGroup: ConsumerGroups.IdentityResolution,
      // The first app's relay failing is the point: its errors are expected.
      logger: false,
    });

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
    });
    redis = createRedis(config.redis.url);
    collector = await collectMessages(
      [topics[Topics.EventsResolved], topics[Topics.ProfileChanges], topics[Topics.IdentityMerges]],
      uniqueName('collect'),
    );
    producer = testKafka().producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await collector?.stop();
    await first?.close().catch(() => undefined);
    await second?.close();
    if (redis) {
      await deleteKeysWithPrefix(redis, `${config.redis.keyPrefix}`);
      await redis.quit();
    }
    await dropSchema(schema);
    await deleteNamespacedTopics(ns).catch(() => undefined);
  });

  let clock = Date.parse('2025-05-01T00:00:00.000Z');
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

  const outboxRows = () =>
    pgQuery<{ topic: string; msg_id: string; msg_type: string; published: boolean }>(
      `SELECT topic, msg_id, msg_type, published_at IS NOT NULL AS published FROM "${schema}".outbox ORDER BY id`,
    );

  /** Messages on a physical topic, from the broker's offsets (every partition). */
  async function messagesOnBroker(topic: string): Promise<number> {
    const admin = testKafka().admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
    } finally {
      await admin.disconnect();
    }
  }

  it('publishes every committed message exactly once after a crash before the send', async () => {
    first = await start();
    // The relay publishes a cycle's rows with produceBatch (one request); fail both ways in.
    const unreachable = new Error('simulated: Kafka unreachable from the relay');
    jest.spyOn(first.get(KafkaPublisher), 'produce').mockRejectedValue(unreachable);
    const produce = jest
      .spyOn(first.get(KafkaPublisher), 'produceBatch')
      .mockRejectedValue(unreachable);

    const userId = uniqueName('u');
    const lastName = Array.from({ length: 10 }, () => String.fromCharCode(97 + randomInt(26)));
    const name = { firstName: 'Crashtest', lastName: lastName.join('') };
    const person = {
      ...name,
      birthday: '1970-01-02',
      address: { street: '1 Dock Road', postal_code: 'L3 4AA' },
    };
    const events = [
      accepted({ type: 'identify', userId, traits: { email: `${userId}@example.com`, ...person } }),
      accepted({ userId, event: 'Product Added', properties: { product_id: 'sku-9' } }),
      // The same person under another identity: a probabilistic merge (ProfilesMerged too).
      accepted({ type: 'identify', anonymousId: uniqueName('a'), traits: person }),
    ];
    await producer.send({
      topic: topics[Topics.EventsAccepted],
      messages: events.map((e) => ({
        key: userId,
        value: JSON.stringify(e),
        headers: { [Headers.CeId]: e.eventId },
      })),
    });

    // Committed in Postgres (claimed, with their outbox rows)…
    await waitFor(
      async () =>
        (
          await pgQuery(
            `SELECT 1 FROM "${schema}".processed_events WHERE event_id = ANY($1::text[])`,
            [events.map((e) => e.eventId)],
          )
        ).length === events.length,
      { description: 'all events committed' },
    );
    await waitFor(() => produce.mock.calls.length > 0, { description: 'the relay tried' });
    const committed = await outboxRows();
    // …but not sent: every row is unpublished.
    expect(committed.every((r) => !r.published)).toBe(true);
    const byType = (type: string) => committed.filter((r) => r.msg_type === type);
    expect(
      byType(EventTypes.ResolvedEvent)
        .map((r) => r.msg_id)
        .sort(),
    ).toEqual(events.map((e) => e.eventId).sort());
    expect(byType(EventTypes.ProfileChanged).length).toBeGreaterThanOrEqual(3);
    expect(byType(EventTypes.ProfilesMerged)).toHaveLength(1);

    // The crash: the app goes away with its rows unsent (the shutdown drain fails as well).
    await first.close();
    first = undefined;
    expect((await outboxRows()).every((r) => !r.published)).toBe(true);
    expect(collector.messages).toEqual([]);

    // A fresh app on the same schema and namespace publishes what was left.
    second = await start();
    await waitFor(async () => (await outboxRows()).every((r) => r.published), {
      description: 'outbox published',
    });
    const expected = committed.map((r) => r.msg_id);
    await waitFor(
      () => expected.every((id) => collector.messages.some((m) => m.headers[Headers.CeId] === id)),
      {
        description: 'every message collected',
      },
    );
    for (const id of expected)
      expect(collector.messages.filter((m) => m.headers[Headers.CeId] === id)).toHaveLength(1);
    // On the broker: exactly the committed rows, per topic.
    for (const topic of [Topics.EventsResolved, Topics.ProfileChanges, Topics.IdentityMerges]) {
      const rows = committed.filter((r) => r.topic === topic);
      expect(rows.length).toBeGreaterThan(0);
      expect(await messagesOnBroker(physicalTopic(topic, ns))).toBe(rows.length);
    }
    // The events were not resolved a second time.
    expect(await outboxRows()).toHaveLength(committed.length);
  });
});
