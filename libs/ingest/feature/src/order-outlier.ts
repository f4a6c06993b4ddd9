/**
 * Robust outlier rule for order values (Iglewicz & Hoaglin's modified z-score):
 *
 *   z = 0.6745 · (x − median) / MAD,   MAD = median(|xᵢ − median|)
 *
 * and |z| > 3.5 flags an outlier. Median and MAD ignore the very outliers they look for, unlike
 * mean and standard deviation, which one huge order inflates enough to hide itself.
 *
 * When more than half the window holds one value, MAD is 0; then the mean absolute deviation
 * stands in (z = (x − median) / (1.253314 · MeanAD), the constant making it consistent with MAD
 * for normal data). When that is 0 too, every sample is equal and there is no spread to judge
 * against: nothing is flagged.
 */
export const MODIFIED_Z_THRESHOLD = 3.5;

export interface OutlierJudgement {
  outlier: boolean;
  /** Signed modified z-score (negative: unusually small); undefined when it cannot be computed. */
  score: number | undefined;
  samples: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The modified z-score of `value` against `sample`, or undefined when the sample has no spread. */
export function modifiedZScore(value: number, sample: readonly number[]): number | undefined {
  if (sample.length === 0) return undefined;
  const m = median(sample);
  const deviations = sample.map((x) => Math.abs(x - m));
  const mad = median(deviations);
  if (mad > 0) return (0.6745 * (value - m)) / mad;
  const meanAd = deviations.reduce((sum, d) => sum + d, 0) / deviations.length;
  if (meanAd > 0) return (value - m) / (1.253314 * meanAd);
  return undefined;
}

/**
 * Judge one order value against the recent values of its currency (not including itself).
 * Below `minSamples` nothing is flagged: with a handful of orders the median/MAD are noise.
 */
export function judgeOrderValue(
  value: number,
  window: readonly number[],
  minSamples: number,
  threshold = MODIFIED_Z_THRESHOLD,
): OutlierJudgement {
  if (window.length < minSamples)
    return { outlier: false, score: undefined, samples: window.length };
  const score = modifiedZScore(value, window);
  return {
    outlier: score !== undefined && Math.abs(score) > threshold,
    score: score === undefined ? undefined : Math.round(score * 100) / 100,
    samples: window.length,
  };
}
