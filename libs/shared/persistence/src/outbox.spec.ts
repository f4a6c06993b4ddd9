import { EventTypes, Topics } from '@kairos/contracts';
import type { OutgoingMessage } from '@kairos/messaging';
import type { EntityManager } from 'typeorm';
import { buildOutboxInserts, Outbox } from './outbox';

const message = (n: number, extra: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  key: `p${n}`,
  value: { n },
  type: EventTypes.ResolvedEvent,
  ...extra,
});

describe(buildOutboxInserts.name, () => {
  const trace = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };

  it('writes one multi-row insert with six parameters per row into the schema outbox', () => {
    const [insert, ...rest] = buildOutboxInserts(
      'identity',
      Topics.EventsResolved,
      [message(1), message(2)],
      trace,
      () => 'fixed',
    );
    expect(rest).toHaveLength(0);
    expect(insert?.sql).toBe(
      'INSERT INTO "identity"."outbox" (topic, msg_key, msg_type, msg_id, payload, headers) VALUES ' +
        '($1, $2, $3, $4, $5::jsonb, $6::jsonb), ($7, $8, $9, $10, $11::jsonb, $12::jsonb)',
    );
    expect(insert?.params).toEqual([
      Topics.EventsResolved,
      'p1',
      EventTypes.ResolvedEvent,
      'fixed',
      '{"n":1}',
      JSON.stringify(trace),
      Topics.EventsResolved,
      'p2',
      EventTypes.ResolvedEvent,
      'fixed',
      '{"n":2}',
      JSON.stringify(trace),
    ]);
  });

  it("keeps the message's id and lets its own headers win over the captured trace context", () => {
    const own = {
      traceparent: '00-11111111111111111111111111111111-2222222222222222-01',
      x_extra: 'y',
    };
    const [insert] = buildOutboxInserts(
      's',
      Topics.EventsResolved,
      [message(1, { id: 'evt-1', headers: own })],
      trace,
    );
    expect(insert?.params[3]).toBe('evt-1');
    expect(JSON.parse(insert?.params[5] as string)).toEqual(own);
  });

  it('gives every message without an id a fresh random id, fixed from now on', () => {
    const [insert] = buildOutboxInserts('s', Topics.EventsResolved, [message(1), message(2)], {});
    const ids = [insert?.params[3], insert?.params[9]];
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('carries an explicit time as the ce_time header and a null value as SQL NULL', () => {
    const [insert] = buildOutboxInserts(
      's',
      Topics.ProfileChanges,
      [message(1, { value: null, time: '2025-01-01T00:00:00.000Z' })],
      {},
    );
    expect(insert?.params[4]).toBeNull();
    expect(JSON.parse(insert?.params[5] as string)).toEqual({
      ce_time: '2025-01-01T00:00:00.000Z',
    });
  });

  it('refuses an undefined value rather than turning it into a tombstone', () => {
    expect(() =>
      buildOutboxInserts('s', Topics.ProfileChanges, [message(1, { value: undefined })], {}),
    ).toThrow(/undefined value/);
  });

  it('splits large batches into statements within the parameter limit, keeping order', () => {
    const messages = Array.from({ length: 2500 }, (_, i) => message(i, { id: `m${i}` }));
    const inserts = buildOutboxInserts('s', Topics.EventsResolved, messages, {});
    expect(inserts.map((i) => i.params.length)).toEqual([6000, 6000, 3000]);
    for (const insert of inserts) expect(insert.sql).toMatch(/^INSERT .* VALUES \(\$1, /);
    const ids = inserts.flatMap((i) => i.params.filter((_, index) => index % 6 === 3));
    expect(ids).toEqual(messages.map((m) => m.id));
  });
});

describe(Outbox.name, () => {
  it('rejects an invalid schema', () => {
    expect(() => new Outbox('Bad-Schema')).toThrow(/Invalid schema/);
  });

  it('refuses to write outside a transaction, where rows would commit without the state change', async () => {
    const outsideTransaction = { queryRunner: undefined } as unknown as EntityManager;
    await expect(
      new Outbox('s').add(outsideTransaction, Topics.EventsResolved, [message(1)]),
    ).rejects.toThrow(/inside the caller's transaction/);
  });

  it('does nothing for no messages', async () => {
    const manager = { queryRunner: undefined } as unknown as EntityManager;
    await expect(new Outbox('s').add(manager, Topics.EventsResolved, [])).resolves.toBeUndefined();
  });
});
