import { describeIssues, prepareCall } from './segment-call';

/** expect.stringMatching, typed as the string it stands for. */
const matching = (pattern: RegExp): string => expect.stringMatching(pattern) as string;

const receivedAt = new Date('2025-03-01T12:00:00.000Z');
let ids = 0;
const options = { receivedAt, newMessageId: () => `gen-${++ids}` };

describe(prepareCall.name, () => {
  it('types a single call by its endpoint and stamps receivedAt and a missing messageId', () => {
    const prepared = prepareCall(
      'track',
      { userId: 'u1', event: 'X', receivedAt: '2020-01-01T00:00:00Z' },
      options,
    );
    expect(prepared).toEqual({
      ok: true,
      events: [
        {
          type: 'track',
          userId: 'u1',
          event: 'X',
          receivedAt: '2025-03-01T12:00:00.000Z',
          messageId: matching(/^gen-/),
        },
      ],
    });
  });

  it('keeps a messageId the sender set', () => {
    const prepared = prepareCall('identify', { userId: 'u1', messageId: 'm-1' }, options);
    expect(prepared.ok && prepared.events[0].messageId).toBe('m-1');
  });

  it('merges batch context and integrations under each event’s own', () => {
    const prepared = prepareCall(
      'batch',
      {
        batch: [{ type: 'page', userId: 'u1', context: { ip: '1' }, integrations: { All: false } }],
        context: { ip: '2', locale: 'de' },
        integrations: { All: true, Mixpanel: false },
      },
      options,
    );
    expect(prepared.ok && prepared.events[0]).toMatchObject({
      context: { ip: '1', locale: 'de' },
      integrations: { All: false, Mixpanel: false },
    });
  });

  it('refuses the whole batch, listing every bad event by index and field', () => {
    const prepared = prepareCall(
      'batch',
      {
        batch: [
          { type: 'track', userId: 'u1', event: 'ok' },
          { type: 'alias', userId: 'u1' },
          { type: 'track', userId: 'u1', event: 'x'.repeat(201) },
        ],
      },
      options,
    );
    expect(prepared.ok).toBe(false);
    if (prepared.ok) return;
    expect(prepared.issues.map((i) => [i.index, i.path])).toEqual([
      [1, 'previousId'],
      [2, 'event'],
    ]);
    expect(prepared.message).toMatch(
      /^2 of 3 events in the batch are invalid; nothing was accepted\. batch\[1\]\.previousId: Required; batch\[2\]\.event: /,
    );
  });

  it('refuses a single event over 32 KB, naming its size', () => {
    const prepared = prepareCall(
      'track',
      { userId: 'u1', event: 'X', properties: { b: 'x'.repeat(33_000) } },
      options,
    );
    expect(prepared.ok).toBe(false);
    if (prepared.ok) return;
    expect(prepared.issues).toEqual([
      {
        index: undefined,
        code: 'EVENT_TOO_LARGE',
        path: '(root)',
        message: matching(/^event is \d+ bytes/),
      },
    ]);
    expect(prepared.message).toMatch(
      /^The event is too large; nothing was accepted\. \(event\): event is \d+ bytes/,
    );
  });

  it('refuses bodies that are not objects and batches that are not non-empty arrays', () => {
    expect(prepareCall('track', null, options).ok).toBe(false);
    expect(prepareCall('batch', { batch: {} }, options).ok).toBe(false);
    expect(prepareCall('batch', {}, options).ok).toBe(false);
  });
});

describe(describeIssues.name, () => {
  it('prefixes batch indexes and joins issues', () => {
    expect(
      describeIssues([
        { index: 0, code: 'SCHEMA_VIOLATION', path: 'event', message: 'Required' },
        { code: 'SCHEMA_VIOLATION', path: 'traits', message: 'Expected object' },
      ]),
    ).toBe('batch[0].event: Required; traits: Expected object');
  });
});
