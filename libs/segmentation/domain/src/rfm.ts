/**
 * RFM quintile scores (1–5) from population cut points.
 *
 * Cut points are the 20/40/60/80 % quantiles of a sample of profiles that have ordered at least
 * once (profiles without orders have no recency and would swamp the quantiles). Scores:
 *  - recency (days since last order): FEWER days is better → 5 for the most recent fifth;
 *    no order at all → 1;
 *  - frequency and monetary: MORE is better → 5 for the top fifth; 0 orders → 1.
 * Values equal to a cut point fall into the lower bucket, so ties (e.g. the many one-order
 * customers) all get the same score.
 */
export interface RfmInput {
  recencyDays: number | null;
  frequency: number;
  monetary: number;
}

export interface RfmCutPoints {
  recency: [number, number, number, number];
  frequency: [number, number, number, number];
  monetary: [number, number, number, number];
}

export interface RfmScore {
  r: number;
  f: number;
  m: number;
}

/** Quantile with linear interpolation between closest ranks (type 7, like numpy's default). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function cuts(values: number[]): [number, number, number, number] {
  const sorted = Float64Array.from(values).sort();
  return [
    quantile(sorted, 0.2),
    quantile(sorted, 0.4),
    quantile(sorted, 0.6),
    quantile(sorted, 0.8),
  ];
}

export function rfmCutPoints(sample: readonly RfmInput[]): RfmCutPoints {
  const buyers = sample.filter((s) => s.frequency > 0 && s.recencyDays !== null);
  return {
    recency: cuts(buyers.map((s) => s.recencyDays as number)),
    frequency: cuts(buyers.map((s) => s.frequency)),
    monetary: cuts(buyers.map((s) => s.monetary)),
  };
}

/** 1 + the number of cut points strictly below the value. */
function ascending(value: number, c: readonly number[]): number {
  let score = 1;
  for (const cut of c) if (value > cut) score++;
  return score;
}

export function scoreRfm(input: RfmInput, cutPoints: RfmCutPoints): RfmScore {
  if (input.frequency <= 0 || input.recencyDays === null) return { r: 1, f: 1, m: 1 };
  // Recency: few days is good, so invert the ascending rank (6 - rank).
  const r = 6 - ascending(input.recencyDays, cutPoints.recency);
  return {
    r,
    f: ascending(input.frequency, cutPoints.frequency),
    m: ascending(input.monetary, cutPoints.monetary),
  };
}
