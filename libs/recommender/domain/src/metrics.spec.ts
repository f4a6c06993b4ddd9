import { averagePrecisionAtK, catalogCoverage, ndcgAtK, precisionAtK, recallAtK } from './metrics';

describe('ranking metrics', () => {
  // Relevant b, d, e; recommended a b c d: hits at ranks 2 and 4.
  const recs = ['a', 'b', 'c', 'd'];
  const relevant = new Set(['b', 'd', 'e']);

  it(precisionAtK.name, () => {
    expect(precisionAtK(recs, relevant, 4)).toBe(0.5);
    expect(precisionAtK(recs, relevant, 2)).toBe(0.5);
    expect(precisionAtK(recs, relevant, 1)).toBe(0);
    // A short list counts the missing places as misses.
    expect(precisionAtK(['b'], relevant, 4)).toBe(0.25);
  });

  it(recallAtK.name, () => {
    expect(recallAtK(recs, relevant, 4)).toBeCloseTo(2 / 3, 12);
    expect(recallAtK(recs, new Set(), 4)).toBe(0);
  });

  it(averagePrecisionAtK.name, () => {
    // (1/2 + 2/4) / min(3, 4) = 1/3
    expect(averagePrecisionAtK(recs, relevant, 4)).toBeCloseTo(1 / 3, 12);
    // k = 2: (1/2) / min(3, 2) = 1/4
    expect(averagePrecisionAtK(recs, relevant, 2)).toBeCloseTo(0.25, 12);
    expect(averagePrecisionAtK(['b', 'd', 'e'], relevant, 3)).toBe(1);
  });

  it(ndcgAtK.name, () => {
    // DCG = 1/log2(3) + 1/log2(5); IDCG = 1 + 1/log2(3) + 1/log2(4)
    const dcg = 1 / Math.log2(3) + 1 / Math.log2(5);
    const idcg = 1 + 1 / Math.log2(3) + 0.5;
    expect(ndcgAtK(recs, relevant, 4)).toBeCloseTo(dcg / idcg, 12);
    expect(ndcgAtK(recs, relevant, 4)).toBeCloseTo(0.49819, 5);
    expect(ndcgAtK(['e', 'b', 'd'], relevant, 3)).toBeCloseTo(1, 12);
    expect(ndcgAtK(['x'], relevant, 3)).toBe(0);
  });

  it(catalogCoverage.name, () => {
    expect(
      catalogCoverage(
        [
          ['a', 'b'],
          ['b', 'c'],
        ],
        10,
      ),
    ).toBeCloseTo(0.3, 12);
    expect(catalogCoverage([], 0)).toBe(0);
  });
});
