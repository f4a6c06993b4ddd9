import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type INestApplication } from '@nestjs/common';
import { loadConfig, type KairosConfig } from '@kairos/config';
import {
  ConsumerGroups,
  MessageOutcome,
  Topics,
  parseContract,
  type MessageRequested,
} from '@kairos/contracts';
import { HotKeys, createRedis, type Redis } from '@kairos/hot-store';
import { createService } from '@kairos/service-kit';
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
import { SMTPServer } from 'smtp-server';
import { UNKNOWN_OUTCOME_REASON } from './delivery-claim';
import { messageIdFor } from './email-headers';
import { header, mimePart, rendererApp } from './renderer-test-kit';

jest.setTimeout(30_000);

interface ReceivedEmail {
  to: string[];
  raw: string;
}

describe('renderer (integration)', () => {
  const ns = uniqueName('render');
  const schema = uniqueName('render');
  const savedEnv = { ...process.env };
  let topics: Awaited<ReturnType<typeof createNamespacedTopics>>;
  let config: KairosConfig;
  let app: INestApplication;
  let producer: Producer;
  let outcomes: Awaited<ReturnType<typeof collectMessages>>;
  let redis: Redis;
  let keys: HotKeys;
  let smtp: SMTPServer;
  const inbox: ReceivedEmail[] = [];
  /** Recipients whose next RCPT TO gets a 451 (once), or always a 550. */
  const tempFailOnce = new Set<string>();
  const rejectAlways = new Set<string>();

  const mailTo = (address: string) => inbox.filter((m) => m.to.includes(address));
  const outcomesFor = (requestId: string) =>
    outcomes.messages
      .map((m) => parseContract(MessageOutcome, JSON.parse(m.value ?? 'null')))
      .flatMap((r) => (r.ok && r.value.requestId === requestId ? [r.value] : []));
  const deliveryOf = async (idempotencyKey: string) =>
    (
      await pgQuery<{ status: string; reason: string | null; message_id: string | null }>(
        `SELECT status, reason, message_id FROM "${schema}".deliveries WHERE idempotency_key = $1`,
        [idempotencyKey],
      )
    )[0];

  async function hotProfile(profileId: string, fields: Record<string, string>): Promise<void> {
    await redis.hset(keys.profile(profileId), {
      profileId,
      version: '1',
      emailConsent: 'subscribed',
      traits: '{}',
      ...fields,
    });
  }

  function newRequest(
    profileId: string,
    overrides: Partial<MessageRequested> = {},
  ): MessageRequested {
    const requestId = randomUUID();
    return {
      requestId,
      idempotencyKey: `abandoned_cart:${profileId}:${randomUUID()}`,
      profileId,
      trigger: 'abandoned_cart',
      template: 'abandoned-cart',
      channel: 'email',
      category: 'marketing',
      cart: [{ productId: 'sku-1', name: 'Trail Shoe', price: 89.5, quantity: 1 }],
      data: {},
      requestedAt: new Date().toISOString(),
      ...overrides,
    };
  }

  async function publish(...requests: MessageRequested[]): Promise<void> {
    await producer.send({
      topic: topics[Topics.MessagesRequested],
      messages: requests.map((r) => ({ key: r.profileId, value: JSON.stringify(r) })),
    });
  }

  const waitForOutcome = (requestId: string) =>
    waitFor(() => outcomesFor(requestId)[0], { description: `the outcome of ${requestId}` });

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (rejectAlways.has(address.address)) {
          return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
        }
        if (tempFailOnce.delete(address.address)) {
          return callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
        }
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          inbox.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as AddressInfo;
    process.env.KAIROS_SMTP_URL = `smtp://127.0.0.1:${port}`;
    process.env.KAIROS_SMTP_FROM = 'Shop <news@shop.example>';
    process.env.KAIROS_PUBLIC_BASE_URL = 'https://kairos.example';

    topics = await createNamespacedTopics(ns, [
      Topics.MessagesRequested,
      Topics.MessagesOutcomes,
      Topics.DeadLetter,
    ]);
    config = loadConfig('renderer', {
      KAIROS_NAMESPACE: ns,
      KAIROS_PG_SCHEMA: schema,
      KAIROS_HTTP_PORT: '0',
      KAIROS_OUTBOX_POLL_MS: '50',
      KAIROS_KAFKA_RETRY_BACKOFF_MS: '20',
      KAIROS_KAFKA_MAX_ATTEMPTS: '2',
    });
    redis = createRedis(config.redis.url);
    keys = new HotKeys(config.redis.keyPrefix);
    outcomes = await collectMessages([topics[Topics.MessagesOutcomes]], uniqueName('outcomes'));
    producer = testKafka().producer();
    await producer.connect();
    app = await createService({
      config,
      module: rendererApp(config),
      consumerGroup: ConsumerGroups.Renderer,
      logger: ['error'],
    });
  });

  afterAll(async () => {
    await app?.close();
    await outcomes?.stop();
    await producer?.disconnect();
    if (redis) {
      await deleteKeysWithPrefix(redis, `${config.redis.keyPrefix}`);
      redis.disconnect();
    }
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
    await dropSchema(schema);
    await deleteNamespacedTopics(ns).catch(() => undefined);
    process.env = savedEnv;
  });

  it("sends one personalized email to the hot profile's address and publishes the outcome", async () => {
    const profileId = randomUUID();
    await hotProfile(profileId, { email: 'ada@example.com', firstName: 'Ada' });
    await redis.set(
      keys.recommendations(profileId),
      JSON.stringify([{ productId: 'sku-9', name: 'Rain Jacket', score: 0.8 }]),
    );
    const request = newRequest(profileId);
    await publish(request);

    const [email] = await waitFor(
      () => (mailTo('ada@example.com').length ? mailTo('ada@example.com') : undefined),
      {
        description: 'an email to Ada',
      },
    );
    const html = mimePart(email.raw, 'text/html');
    const text = mimePart(email.raw, 'text/plain');
    expect(header(email.raw, 'Subject')).toBe('Ada, you left something in your cart');
    expect(html).toMatch(/(Good (morning|afternoon|evening)|Hello), Ada!/);
    expect(html).toContain('Trail Shoe');
    expect(html).toContain('Rain Jacket');
    expect(text).toContain('1 × Trail Shoe');
    expect(text).toContain('Unsubscribe (https://kairos.example/unsubscribe/');
    expect(header(email.raw, 'From')).toBe('Shop <news@shop.example>');
    expect(header(email.raw, 'Message-ID')).toBe(
      messageIdFor(request.idempotencyKey, 'news@shop.example'),
    );
    expect(header(email.raw, 'List-Unsubscribe')).toMatch(
      /^<https:\/\/kairos\.example\/unsubscribe\/[0-9a-f-]{36}>$/,
    );
    expect(header(email.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');

    const outcome = await waitForOutcome(request.requestId);
    expect(outcome).toMatchObject({
      idempotencyKey: request.idempotencyKey,
      profileId,
      trigger: 'abandoned_cart',
      status: 'sent',
      messageId: header(email.raw, 'Message-ID'),
    });
    const msg = outcomes.messages.find(
      (m) =>
        (JSON.parse(m.value ?? 'null') as { requestId?: string }).requestId === request.requestId,
    );
    expect(msg?.key).toBe(profileId);
    expect(await deliveryOf(request.idempotencyKey)).toMatchObject({
      status: 'sent',
      message_id: outcome.messageId,
    });
  });

  it('renders a first name with markup as text', async () => {
    const profileId = randomUUID();
    await hotProfile(profileId, {
      email: 'mallory@example.com',
      firstName: '<script>alert(1)</script>',
    });
    await publish(newRequest(profileId));
    const [email] = await waitFor(
      () => (mailTo('mallory@example.com').length ? mailTo('mallory@example.com') : undefined),
      {
        description: 'an email to Mallory',
      },
    );
    const html = mimePart(email.raw, 'text/html');
    expect(html).toContain(', &lt;script&gt;alert(1)&lt;/script&gt;!');
    expect(html).not.toContain('<script');
  });

  it('sends one email for a request delivered twice', async () => {
    const profileId = randomUUID();
    await hotProfile(profileId, { email: 'twice@example.com', firstName: 'Tw' });
    const request = newRequest(profileId);
    // Same key, so the same partition, in this order: the marker is handled after both copies.
    const marker = newRequest(profileId, {
      cart: [{ productId: 'sku-m', name: 'Marker', price: 1, quantity: 1 }],
    });
    await publish(request, request, { ...request, requestId: randomUUID() }, marker);
    await waitFor(() => mailTo('twice@example.com').find((m) => m.raw.includes('Marker')), {
      description: 'the marker email',
    });
    expect(mailTo('twice@example.com')).toHaveLength(2);
    expect(mailTo('twice@example.com').filter((m) => m.raw.includes('Trail Shoe'))).toHaveLength(1);
    expect(outcomesFor(request.requestId).map((o) => o.status)).toEqual(['sent']);
  });

  it('holds a request whose recipient is not in the hot store, with the reason', async () => {
    const request = newRequest(randomUUID());
    await publish(request);
    const outcome = await waitForOutcome(request.requestId);
    expect(outcome).toMatchObject({ status: 'held', reason: 'no hot profile for the recipient' });
    expect(await deliveryOf(request.idempotencyKey)).toMatchObject({
      status: 'held',
      reason: 'no hot profile for the recipient',
    });
  });

  it('holds, and never sends, a delivery an earlier attempt left in flight', async () => {
    const profileId = randomUUID();
    await hotProfile(profileId, { email: 'inflight@example.com' });
    const request = newRequest(profileId);
    // As if a previous process crashed between the SMTP hand-over and recording it.
    await pgQuery(
      `INSERT INTO "${schema}".deliveries (id, request_id, idempotency_key, profile_id, trigger, template, status, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'abandoned_cart', 'abandoned-cart', 'sending', now(), now())`,
      [randomUUID(), request.requestId, request.idempotencyKey, profileId],
    );
    await publish(request);
    expect(await waitForOutcome(request.requestId)).toMatchObject({
      status: 'held',
      reason: UNKNOWN_OUTCOME_REASON,
    });
    expect(await deliveryOf(request.idempotencyKey)).toMatchObject({ status: 'held' });
    expect(mailTo('inflight@example.com')).toHaveLength(0);
  });

  it('retries a transient SMTP refusal and sends once', async () => {
    const profileId = randomUUID();
    await hotProfile(profileId, { email: 'flaky@example.com', firstName: 'Fl' });
    tempFailOnce.add('flaky@example.com');
    const request = newRequest(profileId);
    await publish(request);
    expect(await waitForOutcome(request.requestId)).toMatchObject({ status: 'sent' });
    expect(tempFailOnce.has('flaky@example.com')).toBe(false);
    expect(mailTo('flaky@example.com')).toHaveLength(1);
  });

  it('fails a permanently refused email with an outcome', async () => {
    const profileId = randomUUID();
    await hotProfile(profileId, { email: 'gone@example.com' });
    rejectAlways.add('gone@example.com');
    const request = newRequest(profileId);
    await publish(request);
    const outcome = await waitForOutcome(request.requestId);
    expect(outcome).toMatchObject({ status: 'failed' });
    expect(outcome.reason).toMatch(/^SMTP 550/);
    expect(outcome.reason).not.toContain('gone@example.com');
    expect(await deliveryOf(request.idempotencyKey)).toMatchObject({ status: 'failed' });
  });

  it('suppresses a recipient who unsubscribed since the trigger fired', async () => {
    const profileId = randomUUID();
    await hotProfile(profileId, { email: 'optout@example.com', emailConsent: 'unsubscribed' });
    const request = newRequest(profileId);
    await publish(request);
    expect(await waitForOutcome(request.requestId)).toMatchObject({ status: 'suppressed' });
    expect(mailTo('optout@example.com')).toHaveLength(0);
  });
});
