import { emptyProfileState, type ProfileState } from '../profile-state';
import { matchPair } from './matching';
import {
  evidenceOf,
  matchingInputsChanged,
  orderedPair,
  pairAction,
  profileBlockingKeys,
  profileMatchRecord,
  summarizeComparison,
} from './profile-matching';

function state(fields: Partial<ProfileState['fields']>, traits: ProfileState['traits'] = {}) {
  const s = emptyProfileState();
  return { ...s, fields: { ...s.fields, ...fields }, traits };
}

const ada = state(
  { firstName: 'Adá', lastName: "O'Neill", birthday: '1990-12-10', email: 'ada@example.com' },
  { address: { street: '12 Harbour Ln', city: 'Bristol', postal_code: 'bs1 4dj', country: 'GB' } },
);

describe(profileMatchRecord.name, () => {
  it('reads the typed fields and the address trait, normalized', () => {
    expect(profileMatchRecord('p1', ada)).toEqual({
      id: 'p1',
      firstName: 'ada',
      lastName: 'oneill',
      birthDate: '1990-12-10',
      phone: null,
      email: 'ada@example.com',
      street: '12 harbour lane',
      postcode: 'BS14DJ',
    });
  });

  it('ignores an address that is not an object, and accepts postalCode', () => {
    expect(profileMatchRecord('p', state({}, { address: 'somewhere' })).postcode).toBeNull();
    expect(
      profileMatchRecord('p', state({}, { address: { postalCode: 'SW1A 1AA' } })).postcode,
    ).toBe('SW1A1AA');
  });
});

describe(profileBlockingKeys.name, () => {
  it('indexes a profile under its name, postcode and surname-area keys', () => {
    expect(profileBlockingKeys('p1', ada)).toEqual([
      'nm:A300:1990',
      'nm:O540:1990',
      'ns:O540:BS1',
      'pf:BS14DJ:a',
    ]);
  });

  it('has no keys for a profile matching knows nothing about', () => {
    expect(profileBlockingKeys('p1', emptyProfileState())).toEqual([]);
  });
});

describe(matchingInputsChanged.name, () => {
  it('is true for a change matching compares, false otherwise', () => {
    expect(
      matchingInputsChanged(ada, state({ ...ada.fields, birthday: '1990-12-11' }, ada.traits)),
    ).toBe(true);
    expect(matchingInputsChanged(ada, { ...ada, traits: { ...ada.traits, plan: 'pro' } })).toBe(
      false,
    );
    expect(
      matchingInputsChanged(ada, state({ ...ada.fields, timezone: 'Europe/London' }, ada.traits)),
    ).toBe(false);
  });
});

describe(orderedPair.name, () => {
  it('puts the lower id first', () => {
    expect(orderedPair('b', 'a')).toEqual(['a', 'b']);
    expect(orderedPair('a', 'b')).toEqual(['a', 'b']);
  });
});

describe(pairAction.name, () => {
  const twin = state(
    { ...ada.fields, firstName: 'Theodora', email: 'theo@example.com' },
    ada.traits,
  );
  const same = state({ ...ada.fields, email: 'ada.o@example.org' }, ada.traits);
  const scored = (x: ProfileState, y: ProfileState) =>
    matchPair(profileMatchRecord('a', x), profileMatchRecord('b', y));

  it('lets the model decide a pair nobody rejected', () => {
    const strong = scored(ada, same);
    expect(pairAction(strong.decision, summarizeComparison(strong), [])).toBe('merge');
    const twins = scored(ada, twin);
    expect(twins.decision).toBe('review');
    expect(pairAction(twins.decision, summarizeComparison(twins), [])).toBe('review');
    expect(pairAction('non-match', summarizeComparison(twins), [])).toBe('none');
  });

  it('does not re-open a rejection on the same evidence, and never merges a rejected pair', () => {
    const strong = scored(ada, same);
    const summary = summarizeComparison(strong);
    expect(pairAction('match', summary, [summary])).toBe('none');
    const other = scored(ada, twin);
    expect(pairAction('match', summary, [summarizeComparison(other)])).toBe('review');
  });

  it('keeps levels and weights, never values', () => {
    const summary = summarizeComparison(scored(ada, same));
    expect(JSON.stringify(summary)).not.toMatch(/ada|harbour|1990/i);
    expect(summary.fields.birthDate.level).toBe('exact');
    expect(summary.fields.birthDate.weight).toBeGreaterThan(10);
    expect(evidenceOf(summary)).toContain('birthDate=exact');
  });
});
