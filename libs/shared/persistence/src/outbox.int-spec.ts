import { AsyncLocalStorage } from 'node:async_hooks';
import { EventTypes, Topics, type TopicName } from '@kairos/contracts';
import type { OutgoingMessage } from '@kairos/messaging';
import {
  collectMessages,
  pgQuery,
  testStack,
  uniqueName,
  waitFor,
  type CollectedMessage,
} from '@kairos/testing';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  trace,
  TraceFlags,
  type Context,
  type ContextManager,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { Outbox } from './outbox';
import { OutboxRelay, type OutboxPublisher, type OutboxRelayOptions } from './outbox-relay';
import { Cleanup, migratedSchema, namespacedPublisher, testDataSource } from './testing/fixtures';

/** Just enough of a context manager to carry the active span across awaits, as the SDK's does. */
class TestContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.storage.disable();
    return this;
  }
}

const R = Topics.EventsResolved;
const P = Topics.ProfileChanges;
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';
const OTHER_TRACEPARENT = '00-11111111111111111111111111111111-2222222222222222-01';

const resolved = (
  id: string,
  key = 'p1',
  extra: Partial<OutgoingMessage> = {},
): OutgoingMessage => ({
  key,
  value: { id },
  type: EventTypes.ResolvedEvent,
  id,
  ...extra,
});

describe('transactional outbox (Postgres + Kafka)', () => {
  const cleanup = new Cleanup();

  beforeAll(() => {
    context.setGlobalContextManager(new TestContextManager());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterAll(async () => {
    await cleanup.run();
    context.disable();
    propagation.disable();
  });

  async function setup(topics: TopicName[] = [R, P]) {
    const { schema, dataSource } = await migratedSchema(cleanup);
    const { physical, publisher } = await namespacedPublisher(cleanup, topics);
    return { schema, dataSource, physical, publisher, outbox: new Outbox(schema) };
  }

  async function collect(topics: string[]): Promise<CollectedMessage[]> {
    const collector = await collectMessages(topics, uniqueName('pers_g'));
    cleanup.add(collector.stop);
    return collector.messages;
  }

  function relay(
    dataSource: DataSource,
    schema: string,
    publisher: OutboxPublisher,
    options: OutboxRelayOptions,
  ): OutboxRelay {
    const instance = new OutboxRelay(dataSource, schema, publisher, options);
    cleanup.add(() => instance.stop());
    return instance;
  }

  async function unpublished(schema: string): Promise<string[]> {
    const rows = await pgQuery<{ msg_id: string }>(
      `SELECT msg_id FROM "${schema}".outbox WHERE published_at IS NULL ORDER BY id`,
    );
    return rows.map((r) => r.msg_id);
  }

  const ids = (messages: CollectedMessage[]) => messages.map((m) => m.headers.ce_id);

  it('never publishes rows written in a transaction that rolled back', async () => {
    const { schema, dataSource, physical, publisher, outbox } = await setup([R]);

    await expect(
      dataSource.transaction(async (manager) => {
        await outbox.add(manager, R, [resolved('rolled-back', 'k')]);
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    await dataSource.transaction((manager) => outbox.add(manager, R, [resolved('committed', 'k')]));

    await expect(
      relay(dataSource, schema, publisher, { pollIntervalMs: 60_000 }).drain(),
    ).resolves.toBe(1);
    // Same key, same partition: had the rolled-back row gone out, it would arrive first.
    const messages = await collect([physical[R]]);
    await waitFor(() => messages.length >= 1, { description: 'the committed message' });
    expect(ids(messages)).toEqual(['committed']);
    expect(await unpublished(schema)).toEqual([]);
  });

  it('publishes committed rows in order, with CloudEvents headers and the trace that wrote them', async () => {
    const { schema, dataSource, physical, publisher, outbox } = await setup();
    const traced = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: TraceFlags.SAMPLED,
    });

    await context.with(traced, () =>
      dataSource.transaction(async (manager) => {
        await outbox.add(
          manager,
          R,
          ['e1', 'e2', 'e3', 'e4'].map((id) => resolved(id)),
        );
        await outbox.add(manager, P, [
          {
            key: 'p1',
            value: { profileId: 'p1', version: 1 },
            type: EventTypes.ProfileChanged,
            id: 'pc1',
          },
          { key: 'p1', value: null, type: EventTypes.ProfileChanged, id: 'pc2' },
        ]);
        await outbox.add(
          manager,
          R,
          ['e5', 'e6'].map((id) => resolved(id)),
        );
      }),
    );
    await dataSource.transaction(async (manager) => {
      await outbox.add(manager, R, [
        resolved('e7', 'p1', { headers: { traceparent: OTHER_TRACEPARENT } }),
      ]);
      await outbox.add(manager, R, [resolved('e8', 'p1', { time: '2020-02-02T02:02:02.000Z' })]);
    });

    // batchSize 3 makes drain go through several cycles and split runs across them.
    await expect(
      relay(dataSource, schema, publisher, { pollIntervalMs: 60_000, batchSize: 3 }).drain(),
    ).resolves.toBe(10);

    const messages = await collect([physical[R], physical[P]]);
    await waitFor(() => messages.length >= 10, { description: '10 messages' });
    const onR = messages.filter((m) => m.topic === physical[R]);
    const onP = messages.filter((m) => m.topic === physical[P]);
    expect(ids(onR)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8']);
    expect(ids(onP)).toEqual(['pc1', 'pc2']);
    expect(onR.map((m) => JSON.parse(m.value ?? 'null') as unknown)).toEqual(
      ids(onR).map((id) => ({ id })),
    );
    // jsonb normalizes key order, so compare parsed values.
    expect(onP.map((m) => (m.value === null ? null : (JSON.parse(m.value) as unknown)))).toEqual([
      { profileId: 'p1', version: 1 },
      null,
    ]);
    expect(messages.every((m) => m.key === 'p1')).toBe(true);

    const rows = await pgQuery<{ msg_id: string; created_at: Date; published_at: Date | null }>(
      `SELECT msg_id, created_at, published_at FROM "${schema}".outbox ORDER BY id`,
    );
    const createdAt = new Map(rows.map((r) => [r.msg_id, r.created_at.toISOString()]));
    expect(rows.every((r) => r.published_at !== null)).toBe(true);

    const byId = new Map(messages.map((m) => [m.headers.ce_id, m.headers]));
    const inTrace = `00-${TRACE_ID}-${SPAN_ID}-01`;
    for (const id of ['e1', 'e2', 'e3', 'e4', 'e5', 'e6']) {
      expect(byId.get(id)).toMatchObject({
        ce_specversion: '1.0',
        ce_type: EventTypes.ResolvedEvent,
        ce_source: 'kairos/test',
        ce_time: createdAt.get(id),
        traceparent: inTrace,
      });
    }
    expect(byId.get('pc1')).toMatchObject({
      ce_type: EventTypes.ProfileChanged,
      traceparent: inTrace,
    });
    expect(byId.get('e7')?.traceparent).toBe(OTHER_TRACEPARENT);
    // Written outside any trace and relayed outside any trace: no trace context is invented.
    expect(byId.get('e8')?.traceparent).toBeUndefined();
    expect(byId.get('e8')?.ce_time).toBe('2020-02-02T02:02:02.000Z');
  });

  it('writes what is added while deferring as one INSERT before the work resolves, in add order, each row with its own trace', async () => {
    const { schema, dataSource, outbox } = await setup([R, P]);
    const parent = (spanId: string) =>
      propagation.extract(ROOT_CONTEXT, { traceparent: `00-${TRACE_ID}-${spanId}-01` });
    const seenInside = await dataSource.transaction((manager) =>
      outbox.deferring(manager, async () => {
        await context.with(parent('1111111111111111'), () =>
          outbox.add(manager, R, [resolved('d1', 'k1')]),
        );
        await context.with(parent('2222222222222222'), () =>
          outbox.add(manager, P, [{ ...resolved('d2', 'k1'), type: EventTypes.ProfileChanged }]),
        );
        await outbox.add(manager, R, [resolved('d3', 'k2')]);
        return manager.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${schema}".outbox`);
      }),
    );
    expect(seenInside).toEqual([{ n: 0 }]);
    const rows = await pgQuery<{ msg_id: string; topic: string; tp: string | null }>(
      `SELECT msg_id, topic, headers->>'traceparent' AS tp FROM "${schema}".outbox ORDER BY id`,
    );
    expect(rows).toEqual([
      { msg_id: 'd1', topic: R, tp: `00-${TRACE_ID}-1111111111111111-01` },
      { msg_id: 'd2', topic: P, tp: `00-${TRACE_ID}-2222222222222222-01` },
      { msg_id: 'd3', topic: R, tp: null },
    ]);
  });

  it('writes nothing deferred when the work fails', async () => {
    const { schema, dataSource, outbox } = await setup([R]);
    await expect(
      dataSource.transaction((manager) =>
        outbox.deferring(manager, async () => {
          await outbox.add(manager, R, [resolved('never', 'k')]);
          throw new Error('business rule failed');
        }),
      ),
    ).rejects.toThrow('business rule failed');
    expect(await unpublished(schema)).toEqual([]);
  });

  it('publishes right after a kick, without waiting for the poll interval', async () => {
    const { schema, dataSource, physical, publisher, outbox } = await setup([R]);
    const messages = await collect([physical[R]]);
    const published: string[] = [];
    const background = relay(dataSource, schema, publisher, {
      pollIntervalMs: 600_000,
      onPublished: (rows) => {
        published.push(...rows.map((r) => r.messageId));
      },
    });

    await dataSource.transaction((manager) => outbox.add(manager, R, [resolved('before-start')]));
    background.start();
    await waitFor(() => published.includes('before-start'), { description: 'the first cycle' });

    // The next poll is 10 minutes away: only the kick can publish this within the timeout.
    await dataSource.transaction((manager) => outbox.add(manager, R, [resolved('kicked')]));
    background.kick();
    await waitFor(() => messages.length >= 2, {
      description: 'the kicked message',
      timeoutMs: 15_000,
    });
    expect(ids(messages)).toEqual(['before-start', 'kicked']);
  });

  it('leaves rows unpublished while publishing fails, and publishes them once it recovers', async () => {
    const { schema, dataSource, physical, publisher, outbox } = await setup([R]);
    let calls = 0;
    const flaky: OutboxPublisher = {
      produce: async (topic, batch) => {
        calls += 1;
        if (calls <= 2) throw new Error('broker unavailable');
        await publisher.produce(topic, batch);
      },
    };
    await dataSource.transaction((manager) =>
      outbox.add(
        manager,
        R,
        ['f1', 'f2', 'f3'].map((id) => resolved(id)),
      ),
    );
    const failing = relay(dataSource, schema, flaky, { pollIntervalMs: 50 });

    await expect(failing.cycle()).rejects.toThrow('broker unavailable');
    expect(await unpublished(schema)).toEqual(['f1', 'f2', 'f3']);

    // In the background the second attempt fails too; the loop backs off and tries again.
    failing.start();
    await waitFor(async () => (await unpublished(schema)).length === 0, {
      description: 'rows marked published',
    });
    expect(calls).toBe(3);

    const messages = await collect([physical[R]]);
    await waitFor(() => messages.length >= 3, { description: '3 messages' });
    expect(ids(messages)).toEqual(['f1', 'f2', 'f3']);
  });

  it('keeps the runs that went out when a later run fails, and stops there to keep order', async () => {
    const { schema, dataSource, physical, publisher, outbox } = await setup();
    let failP = true;
    const failsOnceForP: OutboxPublisher = {
      produce: async (topic, batch) => {
        if (topic === P && failP) {
          failP = false;
          throw new Error('partition leader moved');
        }
        await publisher.produce(topic, batch);
      },
    };
    await dataSource.transaction(async (manager) => {
      await outbox.add(manager, R, [resolved('r1'), resolved('r2')]);
      await outbox.add(manager, P, [
        { key: 'p1', value: { v: 1 }, type: EventTypes.ProfileChanged, id: 'p-1' },
      ]);
      await outbox.add(manager, R, [resolved('r3')]);
    });
    const partial = relay(dataSource, schema, failsOnceForP, { pollIntervalMs: 60_000 });

    await expect(partial.cycle()).rejects.toThrow('partition leader moved');
    expect(await unpublished(schema)).toEqual(['p-1', 'r3']);
    await expect(partial.cycle()).resolves.toEqual({ skipped: false, published: 2 });

    const messages = await collect([physical[R], physical[P]]);
    await waitFor(() => messages.length >= 4, { description: '4 messages' });
    expect(ids(messages.filter((m) => m.topic === physical[R]))).toEqual(['r1', 'r2', 'r3']);
    expect(ids(messages.filter((m) => m.topic === physical[P]))).toEqual(['p-1']);
  });

  it('skips a cycle while another relay holds the schema lock; drain waits for it', async () => {
    const { schema, dataSource, publisher, outbox } = await setup([R]);
    await dataSource.transaction((manager) =>
      outbox.add(manager, R, [resolved('l1'), resolved('l2')]),
    );
    const locked = relay(dataSource, schema, publisher, { pollIntervalMs: 60_000 });

    const holder = new Client({ connectionString: testStack.postgresUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${schema}.outbox`]);
      await expect(locked.cycle()).resolves.toEqual({ skipped: true, published: 0 });
      expect(await unpublished(schema)).toEqual(['l1', 'l2']);
      const draining = locked.drain();
      await holder.query('COMMIT');
      await expect(draining).resolves.toBe(2);
    } finally {
      await holder.end();
    }
    expect(await unpublished(schema)).toEqual([]);
  });

  it('never lets two relays on one schema publish concurrently or publish a row twice', async () => {
    const { schema, dataSource, physical, publisher, outbox } = await setup([R]);
    const replica = testDataSource(schema);
    await replica.initialize();
    cleanup.add(() => replica.destroy());

    let active = 0;
    let maxActive = 0;
    const produced: string[] = [];
    const recording: OutboxPublisher = {
      produce: async (topic, batch) => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        try {
          // Widen the window in which a second relay could overlap, were it not locked out.
          await new Promise((resolve) => setTimeout(resolve, 5));
          await publisher.produce(topic, batch);
          produced.push(...batch.map((m) => m.id ?? '?'));
        } finally {
          active -= 1;
        }
      },
    };
    const relays = [
      relay(dataSource, schema, recording, { pollIntervalMs: 20, batchSize: 7 }),
      relay(replica, schema, recording, { pollIntervalMs: 20, batchSize: 7 }),
    ];
    relays.forEach((r) => r.start());

    const keys = ['p0', 'p1', 'p2'];
    for (let tx = 0; tx < 20; tx++) {
      await dataSource.transaction((manager) =>
        outbox.add(
          manager,
          R,
          Array.from({ length: 5 }, (_, i) => resolved(`m${tx * 5 + i}`, keys[(tx * 5 + i) % 3])),
        ),
      );
      relays.forEach((r) => r.kick());
    }
    await waitFor(async () => (await unpublished(schema)).length === 0, {
      description: 'all 100 rows published',
    });

    expect(maxActive).toBe(1);
    expect(produced).toHaveLength(100);
    expect(new Set(produced).size).toBe(100);

    const messages = await collect([physical[R]]);
    await waitFor(() => messages.length >= 100, { description: '100 messages' });
    expect(new Set(ids(messages)).size).toBe(messages.length);
    for (const key of keys) {
      const sequence = messages
        .filter((m) => m.key === key)
        .map((m) => Number(m.headers.ce_id?.slice(1)));
      expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
    }
  });

  it('reports published rows to onPublished (a failing hook does not undo the publish) and prunes old published rows only', async () => {
    const { schema, dataSource, publisher, outbox } = await setup([R]);
    const seen: string[] = [];
    const hooked = relay(dataSource, schema, publisher, {
      pollIntervalMs: 60_000,
      retentionMs: 1,
      onPublished: (rows) => {
        seen.push(...rows.map((r) => r.messageId));
        throw new Error('redis down');
      },
    });
    await dataSource.transaction((manager) =>
      outbox.add(manager, R, [resolved('o1'), resolved('o2')]),
    );
    await expect(hooked.drain()).resolves.toBe(2);
    expect(seen).toEqual(['o1', 'o2']);
    expect(await unpublished(schema)).toEqual([]);

    await dataSource.transaction((manager) => outbox.add(manager, R, [resolved('o3')]));
    let pruned = 0;
    await waitFor(async () => (pruned += await hooked.prunePublished()) >= 2, {
      description: 'published rows pruned',
    });
    expect(pruned).toBe(2);
    const left = await pgQuery<{ msg_id: string }>(`SELECT msg_id FROM "${schema}".outbox`);
    expect(left.map((r) => r.msg_id)).toEqual(['o3']);
  });
});
