import { mergeRule, planResolution } from './resolution-plan';

const day = (d: number) => new Date(Date.UTC(2025, 0, d));

describe(planResolution.name, () => {
  it('creates a profile when no identifier is known', () => {
    expect(planResolution([])).toEqual({ kind: 'create' });
  });

  it('attaches to the one profile found (however many identifiers point to it)', () => {
    expect(
      planResolution([
        { id: 'p1', createdAt: day(1) },
        { id: 'p1', createdAt: day(1) },
      ]),
    ).toEqual({
      kind: 'attach',
      profileId: 'p1',
    });
  });

  it('merges several profiles into the oldest', () => {
    expect(
      planResolution([
        { id: 'b', createdAt: day(3) },
        { id: 'c', createdAt: day(1) },
        { id: 'a', createdAt: day(2) },
      ]),
    ).toEqual({ kind: 'merge', survivorId: 'c', mergedIds: ['a', 'b'] });
  });

  it('breaks a tie on creation time by id, so every replica picks the same survivor', () => {
    const plan = planResolution([
      { id: 'y', createdAt: day(1) },
      { id: 'x', createdAt: day(1) },
    ]);
    expect(plan).toEqual({ kind: 'merge', survivorId: 'x', mergedIds: ['y'] });
  });
});

describe(mergeRule.name, () => {
  it('names the shared identifier types, or alias for an alias call', () => {
    expect(mergeRule({ type: 'identify' }, ['email'])).toBe('shared-identifier:email');
    expect(mergeRule({ type: 'track' }, ['user_id', 'anonymous_id', 'user_id'])).toBe(
      'shared-identifier:anonymous_id+user_id',
    );
    expect(mergeRule({ type: 'alias' }, ['anonymous_id'])).toBe('alias:anonymous_id');
  });
});
