import { judgeOrderValue, median, modifiedZScore } from './order-outlier';

/** 40 ordinary orders between 20 and 59. */
const ordinary = Array.from({ length: 40 }, (_, i) => 20 + i);

describe(median.name, () => {
  it('is the middle value, or the mean of the two middle values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('refuses an empty sample', () => {
    expect(() => median([])).toThrow(/no values/);
  });
});

describe(modifiedZScore.name, () => {
  it('is 0.6745 · (x − median) / MAD', () => {
    // median 3, deviations [2,1,0,1,2] → MAD 1
    expect(modifiedZScore(8, [1, 2, 3, 4, 5])).toBeCloseTo(0.6745 * 5, 10);
    expect(modifiedZScore(3, [1, 2, 3, 4, 5])).toBe(0);
    expect(modifiedZScore(0, [1, 2, 3, 4, 5])).toBeCloseTo(-0.6745 * 3, 10);
  });

  it('falls back to the mean absolute deviation when MAD is 0', () => {
    // median 10, MAD 0 (4 of 5 equal), MeanAD = 10/5 = 2
    expect(modifiedZScore(20, [10, 10, 10, 10, 20])).toBeCloseTo(10 / (1.253314 * 2), 10);
  });

  it('is undefined when the sample has no spread at all', () => {
    expect(modifiedZScore(99, [10, 10, 10])).toBeUndefined();
    expect(modifiedZScore(1, [])).toBeUndefined();
  });

  it('is not fooled by the outliers already in the window (unlike a mean/sd rule)', () => {
    const polluted = [...ordinary, 100_000, 200_000];
    expect(modifiedZScore(5_000, polluted)).toBeGreaterThan(3.5);
  });
});

describe(judgeOrderValue.name, () => {
  it('flags a value whose |modified z| exceeds 3.5, with its signed score', () => {
    const big = judgeOrderValue(5_000, ordinary, 30);
    expect(big.outlier).toBe(true);
    expect(big.score).toBeGreaterThan(3.5);
    expect(big.samples).toBe(40);
    const tiny = judgeOrderValue(-200, ordinary, 30);
    expect(tiny).toMatchObject({ outlier: true });
    expect(tiny.score).toBeLessThan(-3.5);
  });

  it('does not flag ordinary values', () => {
    for (const value of [20, 39.5, 59, 75])
      expect(judgeOrderValue(value, ordinary, 30).outlier).toBe(false);
  });

  it('rounds the score to two decimals', () => {
    const { score } = judgeOrderValue(5_000, ordinary, 30);
    expect(score).toBe(Math.round((score ?? 0) * 100) / 100);
  });

  it('flags nothing until the window holds the minimum number of samples', () => {
    expect(judgeOrderValue(1e9, ordinary.slice(0, 29), 30)).toEqual({
      outlier: false,
      score: undefined,
      samples: 29,
    });
    expect(judgeOrderValue(1e9, ordinary.slice(0, 30), 30).outlier).toBe(true);
  });

  it('flags nothing when every sample is equal', () => {
    expect(judgeOrderValue(1e6, Array(50).fill(25), 30)).toEqual({
      outlier: false,
      score: undefined,
      samples: 50,
    });
  });
});
