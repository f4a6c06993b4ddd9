import { jaro, jaroWinkler, levenshtein, levenshteinSimilarity } from './string-similarity';

describe(jaro.name, () => {
  it('matches the textbook examples', () => {
    // martha/marhta: 6 matches, 1 transposition: (1 + 1 + 5/6) / 3
    expect(jaro('martha', 'marhta')).toBeCloseTo(0.9444, 4);
    // dwayne/duane: 4 matches, none transposed: (4/6 + 4/5 + 1) / 3
    expect(jaro('dwayne', 'duane')).toBeCloseTo(0.8222, 4);
    expect(jaro('abc', 'xyz')).toBe(0);
    expect(jaro('', 'abc')).toBe(0);
    expect(jaro('same', 'same')).toBe(1);
  });
});

describe(jaroWinkler.name, () => {
  it('boosts a common prefix of up to four characters', () => {
    // 0.9444 + 3 * 0.1 * (1 - 0.9444)
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.9611, 4);
    // 0.8222 + 1 * 0.1 * (1 - 0.8222)
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 4);
    // dixon/dicksonx: jaro 0.7667, prefix "di"
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.8133, 4);
  });
});

describe(levenshtein.name, () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('flaw', 'lawn')).toBe(2);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('same', 'same')).toBe(0);
  });

  it('normalizes by the longer string', () => {
    expect(levenshteinSimilarity('kitten', 'sitting')).toBeCloseTo(1 - 3 / 7, 6);
    expect(levenshteinSimilarity('', '')).toBe(1);
  });
});
