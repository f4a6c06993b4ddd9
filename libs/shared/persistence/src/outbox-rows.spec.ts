import { EventTypes, Topics, type TopicName } from '@kairos/contracts';
import { runsByTopic, toOutgoingMessage, type OutboxRow } from './outbox-rows';

function row(id: number, topic: TopicName, headers: Record<string, string> = {}): OutboxRow {
  return {
    id: String(id),
    topic,
    key: `p${id % 2}`,
    type: EventTypes.ResolvedEvent,
    messageId: `m${id}`,
    payload: { n: id },
    headers,
    createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, id)),
  };
}

describe(runsByTopic.name, () => {
  const R = Topics.EventsResolved;
  const P = Topics.ProfileChanges;

  it('returns no runs for no rows', () => {
    expect(runsByTopic([])).toEqual([]);
  });

  it('groups consecutive rows of one topic and keeps their order', () => {
    const runs = runsByTopic([row(1, R), row(2, R), row(3, R)]);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.rows.map((r) => r.id)).toEqual(['1', '2', '3']);
  });

  it('starts a new run whenever the topic changes, never merging non-adjacent rows', () => {
    const runs = runsByTopic([row(1, R), row(2, P), row(3, P), row(4, R), row(5, R), row(6, P)]);
    expect(runs.map((run) => [run.topic, run.rows.map((r) => r.id)])).toEqual([
      [R, ['1']],
      [P, ['2', '3']],
      [R, ['4', '5']],
      [P, ['6']],
    ]);
  });

  it('keeps every row exactly once, in id order, across runs', () => {
    const rows = Array.from({ length: 50 }, (_, i) => row(i + 1, i % 3 === 0 ? P : R));
    const flattened = runsByTopic(rows).flatMap((run) => run.rows);
    expect(flattened).toEqual(rows);
  });
});

describe(toOutgoingMessage.name, () => {
  it('maps columns to the message and uses the row time as the CloudEvents time', () => {
    const message = toOutgoingMessage(
      row(7, Topics.EventsResolved, { traceparent: '00-abc-def-01' }),
    );
    expect(message).toEqual({
      key: 'p1',
      value: { n: 7 },
      type: EventTypes.ResolvedEvent,
      id: 'm7',
      time: '2025-01-01T00:00:07.000Z',
      headers: { traceparent: '00-abc-def-01' },
    });
  });

  it("prefers the message's own time, carried as the ce_time header", () => {
    const message = toOutgoingMessage(
      row(1, Topics.EventsResolved, { ce_time: '2024-12-31T23:00:00.000Z' }),
    );
    expect(message.time).toBe('2024-12-31T23:00:00.000Z');
  });

  it('keeps a null payload (a tombstone) as null', () => {
    expect(toOutgoingMessage({ ...row(1, Topics.ProfileChanges), payload: null }).value).toBeNull();
  });
});
