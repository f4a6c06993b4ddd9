/**
 * The walking skeleton, end to end: the six services run as separate processes (built
 * output, as in production) against the real local stack. An upstream system produces a
 * Segment `identify` and a `track` "Product Added" with plain kafkajs onto events.raw.v1; four
 * hours later on the trigger-scheduler's controllable clock, an abandoned-cart email addressed
 * to that person arrives at a real SMTP server, and one trace covers all six services.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Topics, physicalTopic } from '@kairos/contracts';
import {
  createNamespacedTopics,
  deleteNamespacedTopics,
  launchServices,
  pgQuery,
  startOtlpReceiver,
  startSmtpSink,
  testKafka,
  testStack,
  uniqueName,
  waitFor,
  SERVICE_NAMES,
  type LaunchedPlatform,
  deleteKeysWithPrefix,
} from '@kairos/testing';
import Redis from 'ioredis';

jest.setTimeout(180_000);

const ADMIN_TOKEN = randomBytes(24).toString('hex');
const FOUR_HOURS_AND_A_MINUTE = 4 * 3600_000 + 60_000;

describe('walking skeleton: identify + Product Added → abandoned-cart email', () => {
  const ns = uniqueName('e2e');
  let platform: LaunchedPlatform;
  let otlp: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  const redis = new Redis(testStack.redisUrl);

  beforeAll(async () => {
    await createNamespacedTopics(ns);
    otlp = await startOtlpReceiver();
    smtp = await startSmtpSink();
    platform = await launchServices({
      logDir: join(__dirname, '../../../tmp/e2e-logs', ns),
      schemaPrefix: ns,
      env: {
        KAIROS_NAMESPACE: ns,
        KAIROS_ADMIN_TOKEN: ADMIN_TOKEN,
        KAIROS_OUTBOX_POLL_MS: '100',
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
        OTEL_BSP_SCHEDULE_DELAY: '200',
      },
      serviceEnv: {
        // Quiet hours off: whether 4 h from now falls in Berlin's night depends on when the test
        // runs; deferral itself is covered by the scheduler's own tests.
        'trigger-scheduler': {
          KAIROS_CLOCK: 'controllable',
          KAIROS_SCHEDULER_POLL_MS: '200',
          KAIROS_QUIET_HOURS: 'off',
        },
        renderer: { KAIROS_SMTP_URL: smtp.url },
      },
    });
  });

  afterAll(async () => {
    await platform?.stop();
    await otlp?.close();
    await smtp?.close();
    await deleteKeysWithPrefix(redis, `kairos:${ns}:`);
    redis.disconnect();
    for (const schema of ['identity', 'segmentation', 'recommender', 'scheduler', 'renderer']) {
      await pgQuery(`DROP SCHEMA IF EXISTS "${ns}_${schema}" CASCADE`);
    }
    await deleteNamespacedTopics(ns);
  });

  it('sends Ann her abandoned-cart email, and one trace covers all six services', async () => {
    const userId = `user-${randomUUID()}`;
    const email = `ann.${randomBytes(3).toString('hex')}@example.com`;
    const trackTraceId = randomBytes(16).toString('hex');
    const now = new Date();

    const producer = testKafka('upstream-shop').producer();
    await producer.connect();
    await producer.send({
      topic: physicalTopic(Topics.EventsRaw, ns),
      acks: -1,
      messages: [
        {
          key: userId,
          value: JSON.stringify({
            type: 'identify',
            messageId: randomUUID(),
            userId,
            timestamp: new Date(now.getTime() - 60_000).toISOString(),
            traits: {
              email: `  ${email.toUpperCase()} `,
              firstName: 'Ann',
              birthday: '1990-04-12',
              timezone: 'Europe/Berlin',
            },
          }),
        },
        {
          key: userId,
          value: JSON.stringify({
            type: 'track',
            messageId: randomUUID(),
            userId,
            event: 'Product Added',
            timestamp: now.toISOString(),
            properties: {
              product_id: 'sku-tent-2p',
              name: 'Trail Tent 2P',
              price: 189.9,
              quantity: 1,
              category: 'Outdoor',
            },
          }),
          headers: { traceparent: `00-${trackTraceId}-${randomBytes(8).toString('hex')}-01` },
        },
      ],
    });
    await producer.disconnect();

    // identity-resolution: one profile in Postgres, hot in Redis with the normalized email.
    const [profile] = await waitFor(
      async () => {
        const rows = await pgQuery<{ id: string; email: string }>(
          `SELECT id, email FROM "${ns}_identity".profiles`,
        );
        return rows.length ? rows : undefined;
      },
      { description: 'the profile row', timeoutMs: 30_000 },
    );
    expect(profile.email).toBe(email);
    const hot = await waitFor(
      async () => {
        const h = await redis.hgetall(`kairos:${ns}:identity:profile:${profile.id}`);
        return h.email ? h : undefined;
      },
      { description: 'the hot profile in Redis' },
    );
    expect(hot.firstName).toBe('Ann');

    // segmentation: a computed trait; recommender: a recommendation list, both in Redis.
    const cart = await waitFor(
      async () => {
        const t = await redis.hgetall(`kairos:${ns}:segmentation:traits:${profile.id}`);
        const items = t.cart ? (JSON.parse(t.cart) as { productId: string }[]) : [];
        return items.length ? items : undefined;
      },
      { description: 'the cart trait in Redis' },
    );
    expect(cart).toEqual([expect.objectContaining({ productId: 'sku-tent-2p' })]);
    const recs = await waitFor(() => redis.get(`kairos:${ns}:recommender:top:${profile.id}`), {
      description: 'recommendations in Redis',
    });
    expect(Array.isArray(JSON.parse(recs))).toBe(true);

    // trigger-scheduler: the abandoned-cart timer is armed for last activity + 4 h …
    await waitFor(
      async () =>
        (
          await pgQuery(
            `SELECT 1 FROM "${ns}_scheduler".timers WHERE state = 'armed' AND kind = 'abandoned_cart'`,
          )
        ).length === 1,
      { description: 'the armed abandoned-cart timer' },
    );
    expect(smtp.mails).toHaveLength(0);

    // … and fires when its clock passes four hours.
    const moved = await fetch(`${platform.services['trigger-scheduler'].url}/admin/clock`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: FOUR_HOURS_AND_A_MINUTE }),
    });
    expect(moved.status).toBe(200);

    const mail = await waitFor(() => smtp.mails.find((m) => m.envelopeTo.includes(email)), {
      description: 'the abandoned-cart email at the SMTP server',
      timeoutMs: 30_000,
    });
    expect(mail.raw).toContain('Ann');
    expect(mail.raw).toContain('Trail Tent 2P');
    expect(mail.raw.toLowerCase()).toContain('list-unsubscribe');

    // One trace id covers spans from all six services for the Product Added event.
    const services = await waitFor(
      () => {
        const seen = new Set(
          otlp.spans.filter((s) => s.traceId === trackTraceId).map((s) => s.service),
        );
        return SERVICE_NAMES.every((name) => seen.has(`kairos-${name}`)) ? seen : undefined;
      },
      { description: 'spans of all six services in the Product Added trace', timeoutMs: 20_000 },
    ).catch((error: Error) => {
      const seen = [
        ...new Set(otlp.spans.filter((s) => s.traceId === trackTraceId).map((s) => s.service)),
      ];
      throw new Error(`${error.message}; services seen in the trace: ${seen.join(', ') || 'none'}`);
    });
    expect(services.size).toBeGreaterThanOrEqual(6);

    // Exactly one email: nothing else fires on later polls.
    const delivered = await pgQuery<{ status: string }>(
      `SELECT status FROM "${ns}_renderer".deliveries`,
    );
    expect(delivered).toEqual([{ status: 'sent' }]);
    expect(smtp.mails.filter((m) => m.envelopeTo.includes(email))).toHaveLength(1);
  });
});
