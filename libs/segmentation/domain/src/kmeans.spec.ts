import { chooseK, kmeans, sampledSilhouette, silhouette, standardize } from './kmeans';
import { seededRng } from './prng';

/** Three well-separated 2-D blobs of 30 points each, around (0,0), (10,0), (0,10). */
function blobs(): { data: Float64Array; n: number; truth: number[] } {
  const rng = seededRng(1);
  const centres = [
    [0, 0],
    [10, 0],
    [0, 10],
  ];
  const n = 90;
  const data = new Float64Array(n * 2);
  const truth: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    data[i * 2] = centres[c][0] + (rng() - 0.5);
    data[i * 2 + 1] = centres[c][1] + (rng() - 0.5);
    truth.push(c);
  }
  return { data, n, truth };
}

describe(kmeans.name, () => {
  it('recovers known clusters (same partition as the truth, up to labels)', () => {
    const { data, n, truth } = blobs();
    const r = kmeans(data, n, 2, 3, { seed: 3 });
    const mapping = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const known = mapping.get(truth[i]);
      if (known === undefined) mapping.set(truth[i], r.assignments[i]);
      else expect(r.assignments[i]).toBe(known);
    }
    expect(new Set(mapping.values()).size).toBe(3);
    expect([...r.sizes]).toEqual([30, 30, 30]);
  });

  it('is reproducible for a seed and reports progress', () => {
    const { data, n } = blobs();
    const progress: number[] = [];
    const a = kmeans(data, n, 2, 3, { seed: 9, onProgress: (p) => progress.push(p.iteration) });
    const b = kmeans(data, n, 2, 3, { seed: 9 });
    expect(a.centroids).toEqual(b.centroids);
    expect(progress.length).toBeGreaterThan(1);
  });

  it('chooses k by silhouette', () => {
    const { data, n } = blobs();
    const r = chooseK(data, n, 2, { kMin: 2, kMax: 6, seed: 5 });
    expect(r.k).toBe(3);
    expect(r.scores.map((s) => s.k)).toEqual([2, 3, 4, 5, 6]);
  });
});

describe(silhouette.name, () => {
  it('matches a hand-computed example', () => {
    // 1-D points 0, 1 (cluster 0) and 4, 6 (cluster 1):
    //   s(0) = (5 − 1)/5 = 0.8          s(1) = (4 − 1)/4 = 0.75
    //   s(4) = (3.5 − 2)/3.5 = 3/7      s(6) = (5.5 − 2)/5.5 = 7/11
    const data = Float64Array.from([0, 1, 4, 6]);
    const expected = (0.8 + 0.75 + 3 / 7 + 7 / 11) / 4;
    expect(silhouette(data, 1, [0, 0, 1, 1], 2)).toBeCloseTo(expected, 12);
  });

  it('scores a singleton cluster point 0, and the sampled version equals the exact one for small n', () => {
    const data = Float64Array.from([0, 1, 10]);
    // s(0) = (10 − 1)/10, s(1) = (9 − 1)/9, s(10) = 0 (alone in its cluster)
    expect(silhouette(data, 1, [0, 0, 1], 2)).toBeCloseTo((9 / 10 + 8 / 9) / 3, 12);
    expect(sampledSilhouette(data, 3, 1, [0, 0, 1], 2, 100)).toBe(
      silhouette(data, 1, [0, 0, 1], 2),
    );
  });
});

describe(standardize.name, () => {
  it('z-scores columns and survives constant columns', () => {
    const data = Float64Array.from([1, 5, 3, 5]);
    const { mean, std } = standardize(data, 2, 2);
    expect(mean).toEqual([2, 5]);
    expect(std).toEqual([1, 1]);
    expect([...data]).toEqual([-1, 0, 1, 0]);
  });
});
