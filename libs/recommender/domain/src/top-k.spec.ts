import { topK } from './top-k';

describe(topK.name, () => {
  it('returns the k best indices, ties to the lower index, honouring the filter', () => {
    const scores = [0.5, 0.9, 0.1, 0.9, 0.7, Number.NaN];
    expect(topK(scores, 3)).toEqual([1, 3, 4]);
    expect(topK(scores, 10)).toEqual([1, 3, 4, 0, 2]);
    expect(topK(scores, 2, (i) => i !== 1)).toEqual([3, 4]);
    expect(topK(scores, 0)).toEqual([]);
  });
});
