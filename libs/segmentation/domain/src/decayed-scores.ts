/**
 * Exponentially time-decayed scores per key (category and brand affinities).
 *
 * A score is stored relative to a reference time `refMs`: its value at time t is
 * `score * 2^(-(t - refMs) / halfLifeMs)`. Adding an event of weight w at time te adds
 * `w * 2^(-(refMs - te) / halfLifeMs)`, which is exact for late (out-of-order) events too,
 * so the result does not depend on arrival order. When an event is newer than `refMs` the
 * reference moves forward to it first (rescaling every score), which keeps factors <= 1 and
 * avoids overflow.
 *
 * Storage is bounded: at most `maxKeys` keys are kept; the weakest are dropped (their decayed
 * contribution is by construction the least informative).
 */
export interface DecayedScores {
  readonly refMs: number;
  readonly scores: Readonly<Record<string, number>>;
}

export const EMPTY_SCORES: DecayedScores = Object.freeze({ refMs: 0, scores: Object.freeze({}) });

export function decayFactor(fromMs: number, toMs: number, halfLifeMs: number): number {
  return Math.pow(2, -(toMs - fromMs) / halfLifeMs);
}

function rebase(s: DecayedScores, refMs: number, halfLifeMs: number): Record<string, number> {
  const out: Record<string, number> = {};
  const f = decayFactor(s.refMs, refMs, halfLifeMs);
  for (const key of Object.keys(s.scores)) out[key] = s.scores[key] * f;
  return out;
}

function cap(scores: Record<string, number>, maxKeys: number): Record<string, number> {
  const keys = Object.keys(scores);
  if (keys.length <= maxKeys) return scores;
  keys.sort((x, y) => scores[y] - scores[x] || (x < y ? -1 : 1));
  const out: Record<string, number> = {};
  for (const key of keys.slice(0, maxKeys)) out[key] = scores[key];
  return out;
}

export function addScore(
  s: DecayedScores,
  key: string,
  weight: number,
  atMs: number,
  halfLifeMs: number,
  maxKeys: number,
): DecayedScores {
  const isEmpty = Object.keys(s.scores).length === 0;
  const refMs = isEmpty ? atMs : Math.max(s.refMs, atMs);
  const scores = isEmpty ? {} : rebase(s, refMs, halfLifeMs);
  scores[key] = (scores[key] ?? 0) + weight * decayFactor(atMs, refMs, halfLifeMs);
  return { refMs, scores: cap(scores, maxKeys) };
}

/** All scores as of `atMs`. */
export function scoresAt(
  s: DecayedScores,
  atMs: number,
  halfLifeMs: number,
): Record<string, number> {
  return rebase(s, atMs, halfLifeMs);
}

export function mergeScores(
  a: DecayedScores,
  b: DecayedScores,
  halfLifeMs: number,
  maxKeys: number,
): DecayedScores {
  if (Object.keys(b.scores).length === 0) return a;
  if (Object.keys(a.scores).length === 0) return b;
  const refMs = Math.max(a.refMs, b.refMs);
  const scores = rebase(a, refMs, halfLifeMs);
  const other = rebase(b, refMs, halfLifeMs);
  for (const key of Object.keys(other)) scores[key] = (scores[key] ?? 0) + other[key];
  return { refMs, scores: cap(scores, maxKeys) };
}
