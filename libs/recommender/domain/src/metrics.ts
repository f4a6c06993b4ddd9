/**
 * Top-K ranking metrics with binary relevance. `recommended` is a ranked list (best first);
 * `relevant` the items the person actually engaged with in the test period. Only the first k
 * recommendations count; a list shorter than k counts its missing places as misses.
 */

/** |top-k ∩ relevant| / k. */
export function precisionAtK(
  recommended: readonly string[],
  relevant: ReadonlySet<string>,
  k: number,
): number {
  if (k <= 0) return 0;
  return hits(recommended, relevant, k) / k;
}

/** |top-k ∩ relevant| / |relevant| (0 when nothing is relevant). */
export function recallAtK(
  recommended: readonly string[],
  relevant: ReadonlySet<string>,
  k: number,
): number {
  if (relevant.size === 0) return 0;
  return hits(recommended, relevant, k) / relevant.size;
}

/**
 * AP@k = Σ_{i ≤ k, rec_i relevant} precision@i / min(|relevant|, k). MAP@k is its mean over
 * people. Perfect (1) when the first min(|relevant|, k) places are all relevant.
 */
export function averagePrecisionAtK(
  recommended: readonly string[],
  relevant: ReadonlySet<string>,
  k: number,
): number {
  const denominator = Math.min(relevant.size, k);
  if (denominator === 0) return 0;
  let found = 0;
  let sum = 0;
  const seen = new Set<string>();
  for (let i = 0; i < Math.min(k, recommended.length); i++) {
    const item = recommended[i];
    if (relevant.has(item) && !seen.has(item)) {
      found++;
      sum += found / (i + 1);
    }
    seen.add(item);
  }
  return sum / denominator;
}

/**
 * NDCG@k with gain 1 for a relevant item at (0-based) rank i discounted by 1/log2(i + 2), divided
 * by the DCG of the ideal list (all relevant first).
 */
export function ndcgAtK(
  recommended: readonly string[],
  relevant: ReadonlySet<string>,
  k: number,
): number {
  let dcg = 0;
  const seen = new Set<string>();
  for (let i = 0; i < Math.min(k, recommended.length); i++) {
    const item = recommended[i];
    if (relevant.has(item) && !seen.has(item)) dcg += 1 / Math.log2(i + 2);
    seen.add(item);
  }
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return ideal === 0 ? 0 : dcg / ideal;
}

/** Share of the catalogue that appears in at least one list. */
export function catalogCoverage(lists: Iterable<readonly string[]>, catalogSize: number): number {
  if (catalogSize <= 0) return 0;
  const shown = new Set<string>();
  for (const list of lists) for (const item of list) shown.add(item);
  return shown.size / catalogSize;
}

function hits(recommended: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  const top = new Set(recommended.slice(0, k));
  let n = 0;
  for (const item of top) if (relevant.has(item)) n++;
  return n;
}
