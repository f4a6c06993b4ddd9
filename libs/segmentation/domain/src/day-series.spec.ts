import {
  addToSeries,
  EMPTY_SERIES,
  mergeSeries,
  sumSince,
  trimSeries,
  windowSum,
} from './day-series';

describe('DaySeries', () => {
  it('keeps days sorted whatever order amounts arrive in, and sums windows', () => {
    let s = EMPTY_SERIES;
    for (const day of [10, 12, 11, 12, 5]) s = addToSeries(s, day, 1);
    expect(s.days).toEqual([5, 10, 11, 12]);
    expect(s.amounts).toEqual([1, 1, 1, 2]);
    expect(windowSum(s, 12, 1)).toBe(2);
    expect(windowSum(s, 12, 3)).toBe(4);
    expect(sumSince(s, 0)).toBe(5);
  });

  it('removes a day whose amount returns to zero (refund of the same day)', () => {
    const s = addToSeries(addToSeries(EMPTY_SERIES, 3, 50), 3, -50);
    expect(s).toEqual({ days: [], amounts: [] });
  });

  it('trims old days and returns the same object when nothing is trimmed', () => {
    const s = addToSeries(addToSeries(EMPTY_SERIES, 1, 1), 9, 1);
    expect(trimSeries(s, 5)).toEqual({ days: [9], amounts: [1] });
    expect(trimSeries(s, 1)).toBe(s);
  });

  it('merges day by day', () => {
    const a = addToSeries(addToSeries(EMPTY_SERIES, 1, 1), 3, 2);
    const b = addToSeries(addToSeries(EMPTY_SERIES, 2, 5), 3, 1);
    expect(mergeSeries(a, b)).toEqual({ days: [1, 2, 3], amounts: [1, 5, 3] });
  });
});
