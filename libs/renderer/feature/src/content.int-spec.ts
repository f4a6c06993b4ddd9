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
import { header, mimePart, rendererApp } from './renderer-test-kit';

jest.setTimeout(30_000);

const ADMIN_TOKEN = 'content-admin-token-0123456789';
const section = (text: string) =>
  `<mj-section><mj-column><mj-text>${text}</mj-text></mj-column></mj-section>`;
const layout = (...slots: string[]) =>
  `<mjml><mj-body width="600px">${slots.map((s) => `<mj-slot name="${s}" />`).join('')}</mj-body></mjml>`;

describe('modular templates, content rules, quality gate, unsubscribe (integration)', () => {
  const ns = uniqueName('rcontent');
  const schema = uniqueName('rcontent');
  const savedEnv = { ...process.env };
  let topics: Awaited<ReturnType<typeof createNamespacedTopics>>;
  let config: KairosConfig;
  let app: INestApplication;
  let baseUrl: string;
  let producer: Producer;
  let outcomes: Awaited<ReturnType<typeof collectMessages>>;
  let rawEvents: Awaited<ReturnType<typeof collectMessages>>;
  let redis: Redis;
  let keys: HotKeys;
  let smtp: SMTPServer;
  const inbox: { to: string[]; raw: string }[] = [];

  const mailTo = (address: string) => inbox.filter((m) => m.to.includes(address));
  const waitForMail = (address: string) =>
    waitFor(() => mailTo(address)[0], { description: `an email to ${address}` });
  const waitForOutcome = (requestId: string) =>
    waitFor(
      () =>
        outcomes.messages
          .map((m) => parseContract(MessageOutcome, JSON.parse(m.value ?? 'null')))
          .flatMap((r) => (r.ok && r.value.requestId === requestId ? [r.value] : []))[0],
      { description: `the outcome of ${requestId}` },
    );

  async function admin(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> {
    const res = await fetch(`${baseUrl}/admin/${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
  }

  async function person(email: string, fields: Record<string, string> = {}): Promise<string> {
    const profileId = randomUUID();
    await redis.hset(keys.profile(profileId), {
      profileId,
      version: '1',
      emailConsent: 'subscribed',
      traits: '{}',
      email,
      firstName: 'Ada',
      ...fields,
    });
    return profileId;
  }

  async function request(
    profileId: string,
    template = 'abandoned-cart',
  ): Promise<MessageRequested> {
    const r: MessageRequested = {
      requestId: randomUUID(),
      idempotencyKey: `test:${profileId}:${randomUUID()}`,
      profileId,
      trigger: 'abandoned_cart',
      template,
      channel: 'email',
      category: 'marketing',
      cart: [{ productId: 'sku-1', name: 'Trail Shoe', price: 89.5, quantity: 1 }],
      data: {},
      requestedAt: new Date().toISOString(),
    };
    await producer.send({
      topic: topics[Topics.MessagesRequested],
      messages: [{ key: profileId, value: JSON.stringify(r) }],
    });
    return r;
  }

  async function approvedTemplate(name: string, slots: string[]): Promise<void> {
    const created = await admin('POST', `templates/${name}/versions`, {
      subject: 'Hello {{ first_name | default: "there" }}',
      layout: layout(...slots),
      brand: 'kairos',
    });
    expect(created.status).toBe(201);
    const { version } = created.json as { version: number };
    expect((await admin('POST', `templates/${name}/versions/${version}/approve`)).status).toBe(200);
  }

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
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
    process.env.KAIROS_SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
    process.env.KAIROS_PUBLIC_BASE_URL = 'https://kairos.example';
    topics = await createNamespacedTopics(ns, [
      Topics.MessagesRequested,
      Topics.MessagesOutcomes,
      Topics.EventsRaw,
      Topics.DeadLetter,
    ]);
    config = loadConfig('renderer', {
      KAIROS_NAMESPACE: ns,
      KAIROS_PG_SCHEMA: schema,
      KAIROS_HTTP_PORT: '0',
      KAIROS_HTTP_HOST: '127.0.0.1',
      KAIROS_ADMIN_TOKEN: ADMIN_TOKEN,
      KAIROS_OUTBOX_POLL_MS: '50',
      KAIROS_KAFKA_RETRY_BACKOFF_MS: '20',
      KAIROS_KAFKA_MAX_ATTEMPTS: '2',
    });
    redis = createRedis(config.redis.url);
    keys = new HotKeys(config.redis.keyPrefix);
    outcomes = await collectMessages([topics[Topics.MessagesOutcomes]], uniqueName('outcomes'));
    rawEvents = await collectMessages([topics[Topics.EventsRaw]], uniqueName('raw'));
    producer = testKafka().producer();
    await producer.connect();
    app = await createService({
      config,
      module: rendererApp(config),
      consumerGroup: ConsumerGroups.Renderer,
      logger: ['error'],
    });
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    await outcomes?.stop();
    await rawEvents?.stop();
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

  it('sends only approved versions', async () => {
    const created = await admin('POST', 'templates/promo/versions', {
      subject: 'Promo for {{ first_name }}',
      layout: layout('header', 'cart-items', 'footer'),
      brand: 'kairos',
    });
    expect(created).toMatchObject({ status: 201, json: { version: 1, status: 'draft' } });
    const profileId = await person('draft@example.com');
    const early = await request(profileId, 'promo');
    expect(await waitForOutcome(early.requestId)).toMatchObject({
      status: 'held',
      reason: 'no approved template "promo"',
    });
    expect((await admin('POST', 'templates/promo/versions/1/approve')).status).toBe(200);
    const late = await request(profileId, 'promo');
    expect(await waitForOutcome(late.requestId)).toMatchObject({ status: 'sent' });
    expect(header((await waitForMail('draft@example.com')).raw, 'Subject')).toBe('Promo for Ada');
    expect((await admin('GET', 'templates/promo/versions')).json).toEqual([
      expect.objectContaining({ version: 1, status: 'approved' }),
    ]);
  });

  it('shows the variant the content rules pick (traits and segments from the hot store)', async () => {
    const rule = await admin('POST', 'rules', {
      name: 'vip-segment-offer',
      block: 'offer-banner',
      variant: 'welcome-discount',
      priority: 1,
      condition: { field: 'segments', op: 'contains', value: 'vip-test' },
    });
    expect(rule.status).toBe(201);
    const vip = await person('vip@example.com');
    await redis.sadd(keys.segments(vip), 'vip-test');
    const engaged = await person('engaged@example.com');
    await redis.hset(keys.traits(engaged), { profileId: engaged, openRate7d: '0.8' });
    const plain = await person('plain@example.com');
    for (const id of [vip, engaged, plain]) await request(id);
    const html = async (to: string) => mimePart((await waitForMail(to)).raw, 'text/html');
    expect(await html('vip@example.com')).toContain('WELCOME10');
    const engagedHtml = await html('engaged@example.com');
    expect(engagedHtml).toContain('INSIDER15');
    expect(engagedHtml).toContain('Complete your order now');
    expect(await html('plain@example.com')).not.toMatch(/WELCOME10|INSIDER15/);
    expect(
      (
        await admin('POST', 'rules', {
          name: 'bad',
          block: 'cta',
          variant: 'x',
          priority: 1,
          condition: { field: 'email', op: 'eq', value: 1 },
        })
      ).status,
    ).toBe(400);
  });

  it("falls back to a block's static default when its variant fails at render time", async () => {
    expect(
      (await admin('PUT', 'blocks/fragile', { required: true, fallback: section('Static hello') }))
        .status,
    ).toBe(200);
    expect(
      (
        await admin('PUT', 'blocks/fragile/variants/default', {
          mjml: section('{% for i in (1..100000000) %}x{% endfor %}'),
        })
      ).status,
    ).toBe(200);
    await approvedTemplate('fragile', ['fragile', 'cart-items', 'footer']);
    const profileId = await person('fragile@example.com');
    const r = await request(profileId, 'fragile');
    expect(await waitForOutcome(r.requestId)).toMatchObject({ status: 'sent' });
    const html = mimePart((await waitForMail('fragile@example.com')).raw, 'text/html');
    expect(html).toContain('Static hello');
    expect(html).toContain('Trail Shoe');
  });

  it('refuses a template that does not compile, and holds an email that fails the gate', async () => {
    await admin('PUT', 'blocks/bad-filter', { required: false, fallback: '' });
    await admin('PUT', 'blocks/bad-filter/variants/default', {
      mjml: section('{{ first_name | exfiltrate }}'),
    });
    const refused = await admin('POST', 'templates/refused/versions', {
      subject: 'x',
      layout: layout('bad-filter', 'footer'),
      brand: 'kairos',
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json)).toContain('undefined filter');

    await admin('PUT', 'blocks/empty-required', { required: true, fallback: '' });
    await admin('PUT', 'blocks/empty-required/variants/default', {
      mjml: `<mj-raw>{% if false %}</mj-raw>${section('never')}<mj-raw>{% endif %}</mj-raw>`,
    });
    await approvedTemplate('gate', ['empty-required', 'header', 'cart-items']);
    const profileId = await person('gate@example.com');
    const r = await request(profileId, 'gate');
    const outcome = await waitForOutcome(r.requestId);
    expect(outcome.status).toBe('held');
    expect(outcome.reason).toContain('quality gate failed for template "gate" v1');
    expect(outcome.reason).toContain('required block "empty-required" is empty');
    expect(outcome.reason).toContain('no unsubscribe link in the HTML');
    expect(mailTo('gate@example.com')).toHaveLength(0);
  });

  it('unsubscribes with one click and publishes the consent events once', async () => {
    const profileId = await person('leaver@example.com');
    await request(profileId);
    const mail = await waitForMail('leaver@example.com');
    const link = /^<(.+)>$/.exec(header(mail.raw, 'List-Unsubscribe') ?? '')?.[1] ?? '';
    const deliveryId = link.split('/').pop() ?? '';
    const local = `${baseUrl}/unsubscribe/${deliveryId}`;

    const page = await fetch(local);
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await page.text()).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(await pgQuery(`SELECT 1 FROM "${schema}".unsubscribes`)).toHaveLength(0);

    const post = () =>
      fetch(local, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(200);

    const events = await waitFor(
      () => {
        const mine = rawEvents.messages
          .map((m) => JSON.parse(m.value ?? 'null') as Record<string, unknown>)
          .filter((e) => JSON.stringify(e.context ?? {}).includes(deliveryId));
        return mine.length >= 2 ? mine : undefined;
      },
      { description: 'the unsubscribe events on events.raw.v1' },
    );
    expect(events).toEqual([
      expect.objectContaining({
        type: 'identify',
        traits: { email: 'leaver@example.com', email_consent: 'unsubscribed' },
      }),
      expect.objectContaining({ type: 'track', event: 'Unsubscribed' }),
    ]);
    expect(events[1].properties).toMatchObject({ email_id: deliveryId });
    expect(
      await pgQuery(`SELECT method FROM "${schema}".unsubscribes WHERE delivery_id = $1`, [
        deliveryId,
      ]),
    ).toEqual([{ method: 'one-click' }]);
    expect(
      await pgQuery(`SELECT 1 FROM "${schema}".outbox WHERE topic = $1`, [Topics.EventsRaw]),
    ).toHaveLength(2);

    expect((await fetch(`${baseUrl}/unsubscribe/${randomUUID()}`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/unsubscribe/<script>`)).status).toBe(404);
    const noBody = await fetch(local, { method: 'POST' });
    expect(noBody.status).toBe(400);
  });

  it('keeps the admin API behind the admin token', async () => {
    expect((await fetch(`${baseUrl}/admin/rules`)).status).toBe(401);
  });
});
