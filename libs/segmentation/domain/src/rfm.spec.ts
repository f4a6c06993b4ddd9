import { quantile, rfmCutPoints, scoreRfm } from './rfm';

describe(scoreRfm.name, () => {
  const sample = Array.from({ length: 100 }, (_, i) => ({
    recencyDays: i,
    frequency: i + 1,
    monetary: (i + 1) * 10,
  }));
  const cuts = rfmCutPoints([...sample, { recencyDays: null, frequency: 0, monetary: 0 }]);

  it('computes quintile cut points from buyers only', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(cuts.recency).toEqual([19.8, 39.6, 59.4, 79.2]);
    expect(cuts.frequency).toEqual([20.8, 40.6, 60.4, 80.2]);
  });

  it('scores recency inverted and frequency/monetary ascending, 1–5', () => {
    expect(scoreRfm({ recencyDays: 0, frequency: 100, monetary: 1000 }, cuts)).toEqual({
      r: 5,
      f: 5,
      m: 5,
    });
    expect(scoreRfm({ recencyDays: 99, frequency: 1, monetary: 10 }, cuts)).toEqual({
      r: 1,
      f: 1,
      m: 1,
    });
    expect(scoreRfm({ recencyDays: 50, frequency: 50, monetary: 500 }, cuts)).toEqual({
      r: 3,
      f: 3,
      m: 3,
    });
    expect(scoreRfm({ recencyDays: null, frequency: 0, monetary: 0 }, cuts)).toEqual({
      r: 1,
      f: 1,
      m: 1,
    });
  });
});
