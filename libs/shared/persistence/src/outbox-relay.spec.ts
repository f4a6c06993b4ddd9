import type { DataSource } from 'typeorm';
import { OutboxRelay, relayBackoffMs } from './outbox-relay';

describe(relayBackoffMs.name, () => {
  it('starts at the poll interval and doubles with each failure in a row', () => {
    expect([1, 2, 3, 4].map((n) => relayBackoffMs(n, 200))).toEqual([200, 400, 800, 1600]);
  });

  it('is capped at 30 s, and never overflows', () => {
    expect(relayBackoffMs(20, 200)).toBe(30_000);
    expect(relayBackoffMs(5000, 200)).toBe(30_000);
  });

  it('never waits less than the poll interval, even one above the cap', () => {
    expect(relayBackoffMs(1, 60_000)).toBe(60_000);
    expect(relayBackoffMs(9, 60_000)).toBe(60_000);
  });
});

describe(OutboxRelay.name, () => {
  const dataSource = {} as DataSource;
  const publisher = { produce: async () => undefined };

  it('validates its schema and options', () => {
    expect(() => new OutboxRelay(dataSource, 'x"y', publisher, { pollIntervalMs: 100 })).toThrow(
      /Invalid schema/,
    );
    expect(() => new OutboxRelay(dataSource, 's', publisher, { pollIntervalMs: 0 })).toThrow(
      /pollIntervalMs/,
    );
    expect(
      () => new OutboxRelay(dataSource, 's', publisher, { pollIntervalMs: 100, batchSize: 0 }),
    ).toThrow(/batchSize/);
  });

  it('ignores kicks before start and stops cleanly without having started', async () => {
    const relay = new OutboxRelay(dataSource, 's', publisher, { pollIntervalMs: 100 });
    relay.kick();
    await expect(relay.stop()).resolves.toBeUndefined();
  });
});
