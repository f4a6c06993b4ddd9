import { emptyProfileState, type ProfileState } from '../profile-state';
import { survivorStateAfterUnmerge } from './unmerge-split';

function state(
  fields: Partial<ProfileState['fields']>,
  traits: ProfileState['traits'],
  fieldTimes: Record<string, string>,
): ProfileState {
  return { fields: { ...emptyProfileState().fields, ...fields }, traits, fieldTimes };
}

describe(survivorStateAfterUnmerge.name, () => {
  const T1 = '2025-01-01T00:00:00.000Z';
  const T2 = '2025-02-01T00:00:00.000Z';
  const T3 = '2025-03-01T00:00:00.000Z';
  const before = state(
    { firstName: 'Ann' },
    { plan: 'free' },
    { firstName: T1, 'traits.plan': T1 },
  );
  const mergedLast = state(
    { firstName: 'Bob', email: 'bob@example.com' },
    { plan: 'pro', team: 'x' },
    { firstName: T2, email: T2, 'traits.plan': T2, 'traits.team': T2 },
  );

  it('gives back every value the merge brought in, and removes what the survivor never had', () => {
    const afterMerge = state(
      { firstName: 'Bob', email: 'bob@example.com' },
      { plan: 'pro', team: 'x' },
      { firstName: T2, email: T2, 'traits.plan': T2, 'traits.team': T2 },
    );
    expect(survivorStateAfterUnmerge(afterMerge, before, mergedLast)).toEqual(before);
  });

  it('keeps a value an event set after the merge', () => {
    const current = state(
      { firstName: 'Annie', email: 'bob@example.com' },
      { plan: 'pro', team: 'x' },
      { firstName: T3, email: T2, 'traits.plan': T2, 'traits.team': T2 },
    );
    const result = survivorStateAfterUnmerge(current, before, mergedLast);
    expect(result.fields.firstName).toBe('Annie');
    expect(result.fields.email).toBeNull();
    expect(result.traits).toEqual({ plan: 'free' });
    expect(result.fieldTimes).toEqual({ firstName: T3, 'traits.plan': T1 });
  });

  it('keeps a value both profiles held with the same time', () => {
    const shared = state({ firstName: 'Ann' }, {}, { firstName: T1 });
    expect(survivorStateAfterUnmerge(shared, shared, shared)).toEqual(shared);
  });

  it('changes nothing without the pre-merge state', () => {
    const current = state({ firstName: 'Bob' }, {}, { firstName: T2 });
    expect(survivorStateAfterUnmerge(current, undefined, mergedLast)).toBe(current);
  });
});
