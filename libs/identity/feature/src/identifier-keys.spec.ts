import { DEFAULT_MERGE_POLICY } from './domain/merge-policy';
import {
  identifierGroups,
  keysToCreate,
  lookupKeys,
  sortKeys,
  withoutJunk,
} from './identifier-keys';
import { acceptedEvent } from './accepted-event.fixture';

describe(identifierGroups.name, () => {
  it('collects userId, anonymousId and an identify email', () => {
    const groups = identifierGroups(
      acceptedEvent({
        type: 'identify',
        userId: 'u1',
        anonymousId: 'a1',
        traits: { email: 'ada@example.com' },
      }),
    );
    expect(groups).toEqual([
      [{ type: 'user_id', value: 'u1' }],
      [{ type: 'anonymous_id', value: 'a1' }],
      [{ type: 'email', value: 'ada@example.com' }],
    ]);
  });

  it('ignores an email outside identify traits', () => {
    const groups = identifierGroups(
      acceptedEvent({ userId: 'u1', traits: { email: 'ada@example.com' } }),
    );
    expect(groups).toEqual([[{ type: 'user_id', value: 'u1' }]]);
  });

  it('treats an alias previousId as an anonymousId or an earlier userId', () => {
    const groups = identifierGroups(
      acceptedEvent({ type: 'alias', userId: 'u1', previousId: 'p1' }),
    );
    expect(groups[1]).toEqual([
      { type: 'anonymous_id', value: 'p1' },
      { type: 'user_id', value: 'p1' },
    ]);
  });
});

describe(keysToCreate.name, () => {
  const groups = identifierGroups(
    acceptedEvent({ type: 'alias', userId: 'u1', anonymousId: 'a1', previousId: 'p1' }),
  );

  it('creates the first alternative of every group with no existing key, sorted', () => {
    expect(keysToCreate(groups, [])).toEqual([
      { type: 'anonymous_id', value: 'a1' },
      { type: 'anonymous_id', value: 'p1' },
      { type: 'user_id', value: 'u1' },
    ]);
  });

  it('creates nothing for a group one of whose alternatives exists', () => {
    expect(
      keysToCreate(groups, [
        { type: 'user_id', value: 'p1' },
        { type: 'anonymous_id', value: 'a1' },
      ]),
    ).toEqual([{ type: 'user_id', value: 'u1' }]);
  });
});

describe(lookupKeys.name, () => {
  it('looks up every alternative once, in lock order', () => {
    const groups = identifierGroups(
      acceptedEvent({ type: 'alias', userId: 'x', anonymousId: 'x', previousId: 'x' }),
    );
    expect(lookupKeys(groups)).toEqual([
      { type: 'anonymous_id', value: 'x' },
      { type: 'user_id', value: 'x' },
    ]);
  });
});

describe(sortKeys.name, () => {
  it('orders by type then value by code unit, dropping duplicates', () => {
    expect(
      sortKeys([
        { type: 'user_id', value: 'b' },
        { type: 'email', value: 'z' },
        { type: 'user_id', value: 'B' },
        { type: 'user_id', value: 'b' },
      ]),
    ).toEqual([
      { type: 'email', value: 'z' },
      { type: 'user_id', value: 'B' },
      { type: 'user_id', value: 'b' },
    ]);
  });
});

describe(withoutJunk.name, () => {
  it('drops junk alternatives and groups left empty, reporting types and reasons only', () => {
    const groups = identifierGroups(
      acceptedEvent({
        type: 'identify',
        userId: 'u1',
        anonymousId: 'null',
        traits: { email: 'test@test.com', phone: '(030) 1234 567' },
      }),
    );
    const result = withoutJunk(groups, DEFAULT_MERGE_POLICY);
    expect(result.groups).toEqual([
      [{ type: 'user_id', value: 'u1' }],
      [{ type: 'phone', value: '0301234567' }],
    ]);
    expect(result.ignored).toEqual([
      { type: 'anonymous_id', reason: 'blocked-value' },
      { type: 'email', reason: 'blocked-value' },
    ]);
  });
});
