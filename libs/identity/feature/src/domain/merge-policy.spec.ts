import {
  DEFAULT_MERGE_POLICY,
  junkReason,
  normalizePhone,
  priorityOf,
  withLimits,
} from './merge-policy';

describe(junkReason.name, () => {
  const junk = (type: string, value: string) => junkReason(DEFAULT_MERGE_POLICY, type, value);

  it.each([
    ['anonymous_id', 'null'],
    ['user_id', 'undefined'],
    ['user_id', 'None'],
    ['user_id', 'N/A'],
    ['user_id', '0'],
    ['anonymous_id', 'anonymous'],
    ['email', 'test@test.com'],
    ['email', ' TEST@example.com '],
  ])('blocks %s %j', (type, value) => {
    expect(junk(type, value)).toBe('blocked-value');
  });

  it('blocks empty and whitespace values', () => {
    expect(junk('user_id', '')).toBe('empty');
    expect(junk('user_id', ' \t ')).toBe('empty');
  });

  it('blocks all-same-digit and too-short phones', () => {
    expect(junk('phone', '0000000000')).toBe('phone-same-digit');
    expect(junk('phone', '+1 111-111-1111')).toBe('phone-same-digit');
    expect(junk('phone', '12345')).toBe('phone-too-short');
  });

  it('accepts real values', () => {
    expect(junk('phone', '+4915112345678')).toBeUndefined();
    expect(junk('email', 'ada@example.com')).toBeUndefined();
    expect(junk('user_id', '00')).toBeUndefined();
  });
});

describe(normalizePhone.name, () => {
  it('keeps digits and a leading plus', () => {
    expect(normalizePhone(' +44 (20) 7946-0018 ')).toBe('+442079460018');
    expect(normalizePhone('020 7946 0018')).toBe('02079460018');
  });
});

describe(priorityOf.name, () => {
  it('ranks userId > email > phone > anonymousId > anything else', () => {
    const ranks = ['user_id', 'email', 'phone', 'anonymous_id', 'other'].map(priorityOf);
    expect(ranks).toEqual([0, 1, 2, 3, 4]);
  });
});

describe(withLimits.name, () => {
  it('overrides only the limits given', () => {
    const policy = withLimits(DEFAULT_MERGE_POLICY, { email: 2, phone: undefined });
    expect(policy.maxPerProfile).toEqual({ user_id: 1, email: 2, phone: 5, anonymous_id: 100 });
    expect(DEFAULT_MERGE_POLICY.maxPerProfile.email).toBe(5);
  });
});
