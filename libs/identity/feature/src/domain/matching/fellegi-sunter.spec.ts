import { blockingKeys, candidatePairs } from './blocking';
import {
  DEFAULT_MATCH_MODEL,
  DEFAULT_MATCH_THRESHOLDS,
  decide,
  levelWeight,
  matchPair,
  scoreComparison,
} from './fellegi-sunter';
import { toMatchRecord, type RawPerson } from './match-record';

const person = (over: Partial<RawPerson> & { id: string }) =>
  toMatchRecord({
    firstName: 'Robert',
    lastName: 'Kowalski',
    birthday: '1984-06-02',
    phone: '+44 7911 123456',
    email: 'rk@example.com',
    street: '12 High St',
    postcode: 'SW1A 1AA',
    ...over,
  });

describe(levelWeight.name, () => {
  it('is log2(m/u), and 0 for a missing value', () => {
    expect(levelWeight(DEFAULT_MATCH_MODEL, 'firstName', 'exact')).toBeCloseTo(Math.log2(86), 6);
    expect(levelWeight(DEFAULT_MATCH_MODEL, 'birthDate', 'missing')).toBe(0);
  });
});

describe(scoreComparison.name, () => {
  it('sums field weights, and weighs a common name less than a rare one', () => {
    const c = {
      firstName: 'exact',
      lastName: 'exact',
      birthDate: 'missing',
      phone: 'missing',
      location: 'missing',
      email: 'missing',
      namesSwapped: false,
    } as const;
    const plain = scoreComparison(c);
    expect(plain.score).toBeCloseTo(Math.log2(0.86 / 0.01) + Math.log2(0.9 / 0.005), 6);
    const names = { firstName: 'john', lastName: 'smith' };
    const common = scoreComparison(c, DEFAULT_MATCH_MODEL, names, () => 0.02);
    const rare = scoreComparison(c, DEFAULT_MATCH_MODEL, names, () => 0.0001);
    expect(common.score).toBeLessThan(plain.score);
    expect(rare.score).toBeGreaterThan(common.score);
  });
});

describe(matchPair.name, () => {
  const original = person({ id: 'a' });

  it('merges a copy with a nickname, a typo in the street and another email', () => {
    const copy = person({
      id: 'b',
      firstName: 'Bob',
      street: '12 Hgih Street',
      email: 'bobk@x.org',
    });
    expect(matchPair(original, copy).decision).toBe('match');
  });

  it('merges a copy with first and last name swapped and the birth date day/month swapped', () => {
    const copy = person({
      id: 'b',
      firstName: 'Kowalski',
      lastName: 'Robert',
      birthday: '1984-02-06',
    });
    const result = matchPair(original, copy);
    expect(result.namesSwapped).toBe(true);
    expect(result.birthDate).toBe('transposed');
    expect(result.decision).toBe('match');
  });

  it('never auto-merges twins: same surname, birth date, home and phone, different given names', () => {
    const twin = person({ id: 'b', firstName: 'Michael', email: 'mk@example.com' });
    const result = matchPair(original, twin);
    expect(result.firstName).toBe('different');
    // -12.250 (given name) + 0.263 (surname at one address) + 10.814 (birth date) + 1.503
    // (phone at one address) + 10.551 (address) - 0.413 (email) = 10.467: review, not merge.
    expect(result.score).toBeCloseTo(10.467, 2);
    expect(result.decision).toBe('review');
  });

  it('does not auto-merge a father and son of the same name born decades apart', () => {
    const son = person({ id: 'b', birthday: '2010-09-15', phone: '+44 7700 900123', email: null });
    expect(matchPair(original, son).decision).not.toBe('match');
  });

  it('sends a thin match (same name and town area, nothing else) to review, not to merge', () => {
    const thin = toMatchRecord({
      id: 'b',
      firstName: 'Robert',
      lastName: 'Kowalski',
      birthday: '1984-06-02',
    });
    const result = matchPair(original, thin);
    expect(result.decision).not.toBe('non-match');
  });
});

describe(decide.name, () => {
  it('applies the two thresholds', () => {
    const { upper, lower } = DEFAULT_MATCH_THRESHOLDS;
    expect(decide(upper)).toBe('match');
    expect(decide(upper - 0.01)).toBe('review');
    expect(decide(lower)).toBe('review');
    expect(decide(lower - 0.01)).toBe('non-match');
  });
});

describe(blockingKeys.name, () => {
  it('gives a record and its swapped-name copy a shared key, and nicknames a shared initial', () => {
    const a = person({ id: 'a' });
    const swapped = person({ id: 'b', firstName: 'Kowalski', lastName: 'Robert' });
    const nick = person({ id: 'c', firstName: 'Bob', birthday: null, phone: null, email: null });
    const shared = (x: string[], y: string[]) => x.filter((k) => y.includes(k));
    expect(shared(blockingKeys(a), blockingKeys(swapped))).toContain('nm:K420:1984');
    expect(shared(blockingKeys(a), blockingKeys(nick))).toContain('pf:SW1A1AA:b');
  });
});

describe(candidatePairs.name, () => {
  it('proposes each pair once and skips oversized blocks', () => {
    const rs = ['a', 'b', 'c'].map((id) => person({ id }));
    expect(candidatePairs(rs).map(([x, y]) => `${x.id}${y.id}`)).toEqual(['ab', 'ac', 'bc']);
    expect(candidatePairs(rs, 2)).toEqual([]);
  });
});
