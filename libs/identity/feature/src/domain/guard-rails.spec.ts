import { applyGuardRails, pairMergeRefusal, type GuardedCandidate } from './guard-rails';
import { DEFAULT_MERGE_POLICY, withLimits } from './merge-policy';

const day = (d: number) => new Date(Date.UTC(2025, 0, d));
const user = (value: string) => ({ type: 'user_id', value });
const email = (value: string) => ({ type: 'email', value });
const anon = (value: string) => ({ type: 'anonymous_id', value });
const candidate = (id: string, d: number, counts: Record<string, number>): GuardedCandidate => ({
  id,
  createdAt: day(d),
  counts,
});

describe(applyGuardRails.name, () => {
  it('lets a harmless merge through unchanged', () => {
    const result = applyGuardRails(
      [[user('u1')], [email('e1')]],
      [
        { ...user('u1'), profileId: 'p1' },
        { ...email('e1'), profileId: 'p2' },
      ],
      [candidate('p1', 1, { user_id: 1 }), candidate('p2', 2, { email: 1, anonymous_id: 3 })],
      DEFAULT_MERGE_POLICY,
    );
    expect(result.candidates.map((c) => c.id)).toEqual(['p1', 'p2']);
    expect(result.refusals).toEqual([]);
    expect(result.toCreate).toEqual([]);
  });

  it('refuses a merge that would put two userIds on one profile, keeping the userId profile', () => {
    const result = applyGuardRails(
      [[user('u2')], [email('shared')]],
      [
        { ...user('u2'), profileId: 'p2' },
        { ...email('shared'), profileId: 'p1' },
      ],
      [candidate('p1', 1, { user_id: 1, email: 1 }), candidate('p2', 2, { user_id: 1 })],
      DEFAULT_MERGE_POLICY,
    );
    expect(result.candidates.map((c) => c.id)).toEqual(['p2']);
    expect(result.groups).toEqual([[user('u2')]]);
    expect(result.refusals).toEqual([
      { rule: 'limit:user_id', otherProfileId: 'p1', identifiers: [email('shared')] },
    ]);
  });

  it('gives a new userId on a shared device its own profile instead of a second userId', () => {
    const result = applyGuardRails(
      [[user('u2')], [anon('device')]],
      [{ ...anon('device'), profileId: 'p1' }],
      [candidate('p1', 1, { user_id: 1, anonymous_id: 1 })],
      DEFAULT_MERGE_POLICY,
    );
    expect(result.candidates).toEqual([]);
    expect(result.toCreate).toEqual([user('u2')]);
    expect(result.refusals).toEqual([
      { rule: 'limit:user_id', otherProfileId: 'p1', identifiers: [anon('device')] },
    ]);
  });

  it('drops only the identifier that breaks a limit, not lower-priority bystanders', () => {
    const result = applyGuardRails(
      [[user('u1')], [email('e6')], [anon('new-device')]],
      [{ ...user('u1'), profileId: 'p1' }],
      [candidate('p1', 1, { user_id: 1, email: 5 })],
      DEFAULT_MERGE_POLICY,
    );
    expect(result.candidates.map((c) => c.id)).toEqual(['p1']);
    expect(result.toCreate).toEqual([anon('new-device')]);
    expect(result.refusals).toEqual([
      { rule: 'limit:email', otherProfileId: null, identifiers: [email('e6')] },
    ]);
  });

  it('refuses a merge whose combined emails exceed the limit', () => {
    const result = applyGuardRails(
      [[email('a')], [email('b')]],
      [
        { ...email('a'), profileId: 'p1' },
        { ...email('b'), profileId: 'p2' },
      ],
      [candidate('p1', 1, { email: 3 }), candidate('p2', 2, { email: 3 })],
      DEFAULT_MERGE_POLICY,
    );
    // Equal priority: the later group is left out, the event goes to the profile of the first.
    expect(result.candidates.map((c) => c.id)).toEqual(['p1']);
    expect(result.refusals[0]).toMatchObject({ rule: 'limit:email', otherProfileId: 'p2' });
  });

  it('still attributes events to a profile already over a (lowered) limit', () => {
    const result = applyGuardRails(
      [[email('a')], [anon('x')]],
      [{ ...email('a'), profileId: 'p1' }],
      [candidate('p1', 1, { email: 4, anonymous_id: 3 })],
      withLimits(DEFAULT_MERGE_POLICY, { email: 2, anonymous_id: 3 }),
    );
    // Four emails held is no change; a fourth anonymousId would be one.
    expect(result.candidates.map((c) => c.id)).toEqual(['p1']);
    expect(result.toCreate).toEqual([]);
    expect(result.refusals).toEqual([
      { rule: 'limit:anonymous_id', otherProfileId: null, identifiers: [anon('x')] },
    ]);
  });

  it('keeps the best-named profile when one alias group points to two userId profiles', () => {
    const result = applyGuardRails(
      [[anon('p'), user('p')]],
      [
        { ...anon('p'), profileId: 'p2' },
        { ...user('p'), profileId: 'p1' },
      ],
      [candidate('p1', 1, { user_id: 1 }), candidate('p2', 2, { user_id: 1, anonymous_id: 1 })],
      DEFAULT_MERGE_POLICY,
    );
    expect(result.candidates.map((c) => c.id)).toEqual(['p1']);
    expect(result.refusals).toEqual([
      { rule: 'limit:user_id', otherProfileId: 'p2', identifiers: [anon('p')] },
    ]);
  });
});

describe(pairMergeRefusal.name, () => {
  it('lets two profiles within the limits merge', () => {
    expect(
      pairMergeRefusal({ email: 1, anonymous_id: 2 }, { email: 2 }, DEFAULT_MERGE_POLICY),
    ).toBeUndefined();
  });

  it('refuses two userIds (two accounts), naming the highest-priority type first', () => {
    expect(
      pairMergeRefusal({ user_id: 1, email: 5 }, { user_id: 1, email: 1 }, DEFAULT_MERGE_POLICY),
    ).toBe('limit:user_id');
  });

  it('refuses going over a limit, but not a profile already over it receiving nothing more', () => {
    const policy = withLimits(DEFAULT_MERGE_POLICY, { email: 2 });
    expect(pairMergeRefusal({ email: 2 }, { email: 1 }, policy)).toBe('limit:email');
    expect(pairMergeRefusal({ email: 3 }, {}, policy)).toBeUndefined();
  });
});
