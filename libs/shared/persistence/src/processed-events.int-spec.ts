import { handleOnce } from '@kairos/messaging';
import { pgQuery } from '@kairos/testing';
import { ProcessedEvents } from './processed-events';
import { Cleanup, migratedSchema } from './testing/fixtures';

describe('processed events (Postgres)', () => {
  const cleanup = new Cleanup();
  afterAll(() => cleanup.run());

  it('claims an event once per consumer', async () => {
    const { schema, dataSource } = await migratedSchema(cleanup);
    const processed = new ProcessedEvents(schema);

    await expect(
      dataSource.transaction((m) => processed.claim(m, 'segmentation', 'evt-1')),
    ).resolves.toBe(true);
    await expect(
      dataSource.transaction((m) => processed.claim(m, 'segmentation', 'evt-1')),
    ).resolves.toBe(false);
    // Another consumer group handles the same event independently.
    await expect(
      dataSource.transaction((m) => processed.claim(m, 'trigger-scheduler', 'evt-1')),
    ).resolves.toBe(true);
  });

  it('does not count a claim whose transaction rolled back, so the redelivery is handled', async () => {
    const { schema, dataSource } = await migratedSchema(cleanup);
    const processed = new ProcessedEvents(schema);
    const handled: string[] = [];
    const deliver = (attempt: string, fail: boolean) =>
      dataSource.transaction((m) =>
        handleOnce(
          () => processed.claim(m, 'identity', 'evt-2'),
          async () => {
            if (fail) throw new Error('transient failure');
            handled.push(attempt);
          },
        ),
      );

    await expect(deliver('first', true)).rejects.toThrow('transient failure');
    await expect(deliver('second', false)).resolves.toEqual({
      outcome: 'handled',
      result: undefined,
    });
    await expect(deliver('third', false)).resolves.toEqual({ outcome: 'duplicate' });
    expect(handled).toEqual(['second']);
  });

  it('lets exactly one of two concurrent claims win; the loser waits for the winner to commit', async () => {
    const { schema, dataSource } = await migratedSchema(cleanup);
    const processed = new ProcessedEvents(schema);
    const [a, b] = [dataSource.createQueryRunner(), dataSource.createQueryRunner()];
    try {
      await a.startTransaction();
      await b.startTransaction();
      await expect(processed.claim(a.manager, 'renderer', 'evt-3')).resolves.toBe(true);
      const second = processed.claim(b.manager, 'renderer', 'evt-3');
      await a.commitTransaction();
      await expect(second).resolves.toBe(false);
      await b.commitTransaction();

      // And if the first rolls back instead, the waiting claim wins.
      await a.startTransaction();
      await b.startTransaction();
      await expect(processed.claim(a.manager, 'renderer', 'evt-4')).resolves.toBe(true);
      const waiting = processed.claim(b.manager, 'renderer', 'evt-4');
      await a.rollbackTransaction();
      await expect(waiting).resolves.toBe(true);
      await b.commitTransaction();
    } finally {
      await a.release();
      await b.release();
    }
  });

  it('prunes only claims older than the given age', async () => {
    const { schema, dataSource } = await migratedSchema(cleanup);
    const processed = new ProcessedEvents(schema);
    await dataSource.transaction(async (m) => {
      await processed.claim(m, 'c', 'old-1');
      await processed.claim(m, 'c', 'old-2');
      await processed.claim(m, 'c', 'fresh');
    });
    await pgQuery(
      `UPDATE "${schema}".processed_events SET processed_at = now() - interval '2 days' WHERE event_id LIKE 'old-%'`,
    );

    await expect(
      dataSource.transaction((m) => processed.pruneOlderThan(m, 24 * 3600 * 1000)),
    ).resolves.toBe(2);
    const left = await pgQuery<{ event_id: string }>(
      `SELECT event_id FROM "${schema}".processed_events`,
    );
    expect(left.map((r) => r.event_id)).toEqual(['fresh']);
    // A pruned id can be claimed again: the window must outlast any redelivery.
    await expect(dataSource.transaction((m) => processed.claim(m, 'c', 'old-1'))).resolves.toBe(
      true,
    );
  });

  it('pre-claims a run of ids in one statement; each claim inside answers once, repeats and handled ids are duplicates', async () => {
    const { schema, dataSource } = await migratedSchema(cleanup);
    const processed = new ProcessedEvents(schema);
    await dataSource.transaction((m) => processed.claim(m, 'identity', 'old'));
    const answers = await dataSource.transaction((m) =>
      processed.preclaiming(m, 'identity', ['a', 'b', 'a', 'old'], async () => [
        await processed.claim(m, 'identity', 'a'),
        await processed.claim(m, 'identity', 'b'),
        await processed.claim(m, 'identity', 'a'),
        await processed.claim(m, 'identity', 'old'),
      ]),
    );
    expect(answers).toEqual([true, true, false, false]);
    const rows = await pgQuery<{ event_id: string }>(
      `SELECT event_id FROM "${schema}".processed_events ORDER BY event_id`,
    );
    expect(rows.map((r) => r.event_id)).toEqual(['a', 'b', 'old']);
  });

  it('refuses to commit pre-claimed ids the work never claimed', async () => {
    const { schema, dataSource } = await migratedSchema(cleanup);
    const processed = new ProcessedEvents(schema);
    await expect(
      dataSource.transaction((m) =>
        processed.preclaiming(m, 'identity', ['x', 'y'], () => processed.claim(m, 'identity', 'x')),
      ),
    ).rejects.toThrow(/never claimed/);
    const rows = await pgQuery(`SELECT 1 FROM "${schema}".processed_events`);
    expect(rows).toHaveLength(0);
  });
});
