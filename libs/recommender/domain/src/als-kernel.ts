/**
 * The inner loop of implicit ALS, shared by the single-thread trainer and the worker threads (so
 * both run exactly the same arithmetic). No imports: a worker loads only this file.
 *
 * For row u (a user when solving user factors, an item when solving item factors) with observed
 * entries r_ui > 0 and confidence c_ui = 1 + α·r_ui, preference p_ui = 1, the least-squares
 * problem (Hu, Koren & Volinsky 2008)
 *     min_x Σ_i c_ui (p_ui − x·y_i)² + λ‖x‖²
 * has normal equations A x = b with
 *     A = YᵀY + λI + Σ_{i∈obs(u)} (c_ui − 1) y_i y_iᵀ,   b = Σ_{i∈obs(u)} c_ui y_i.
 * YᵀY + λI (`gram`) is shared by all rows and computed once per half-iteration; the sparse part
 * is applied implicitly, so A is never formed. A few conjugate-gradient steps, warm-started from
 * the current x_u, approximate the solution (Takács, Pilászy & Tikk 2011; the `implicit`
 * library's CPU solver). Each CG step lowers the row's quadratic objective, so the ALS objective
 * cannot increase across a half-iteration (up to float32 rounding of the stored factors).
 */

export interface CgScratch {
  x: Float64Array;
  r: Float64Array;
  p: Float64Array;
  ap: Float64Array;
}

export function createScratch(k: number): CgScratch {
  return {
    x: new Float64Array(k),
    r: new Float64Array(k),
    p: new Float64Array(k),
    ap: new Float64Array(k),
  };
}

/** Below this squared residual norm the row is considered solved. */
const RESIDUAL_EPSILON = 1e-20;

/**
 * Updates rows [start, end) of `target` (n×k, row-major) in place against the fixed `other`
 * factors, with `indptr/indices/data` the CSR of r (rows of target × rows of other).
 */
export function solveRowsCg(
  target: Float32Array,
  other: Float32Array,
  gram: Float64Array,
  indptr: Int32Array,
  indices: Int32Array,
  data: Float32Array,
  alpha: number,
  k: number,
  cgSteps: number,
  start: number,
  end: number,
  scratch: CgScratch,
): void {
  const { x, r, p, ap } = scratch;
  for (let u = start; u < end; u++) {
    const xOff = u * k;
    for (let a = 0; a < k; a++) x[a] = target[xOff + a];
    const lo = indptr[u];
    const hi = indptr[u + 1];

    // r = b − A x
    for (let a = 0; a < k; a++) {
      let s = 0;
      const row = a * k;
      for (let b = 0; b < k; b++) s += gram[row + b] * x[b];
      r[a] = -s;
    }
    for (let t = lo; t < hi; t++) {
      const yOff = indices[t] * k;
      const conf = 1 + alpha * data[t];
      let yx = 0;
      for (let a = 0; a < k; a++) yx += other[yOff + a] * x[a];
      const coef = conf - (conf - 1) * yx;
      for (let a = 0; a < k; a++) r[a] += coef * other[yOff + a];
    }

    let rsOld = 0;
    for (let a = 0; a < k; a++) {
      p[a] = r[a];
      rsOld += r[a] * r[a];
    }
    if (rsOld < RESIDUAL_EPSILON) continue;

    for (let step = 0; step < cgSteps; step++) {
      // ap = A p, with the sparse part applied row by row.
      for (let a = 0; a < k; a++) {
        let s = 0;
        const row = a * k;
        for (let b = 0; b < k; b++) s += gram[row + b] * p[b];
        ap[a] = s;
      }
      for (let t = lo; t < hi; t++) {
        const yOff = indices[t] * k;
        let yp = 0;
        for (let a = 0; a < k; a++) yp += other[yOff + a] * p[a];
        const coef = alpha * data[t] * yp;
        for (let a = 0; a < k; a++) ap[a] += coef * other[yOff + a];
      }
      let pAp = 0;
      for (let a = 0; a < k; a++) pAp += p[a] * ap[a];
      if (!(pAp > 0)) break;
      const stepSize = rsOld / pAp;
      let rsNew = 0;
      for (let a = 0; a < k; a++) {
        x[a] += stepSize * p[a];
        r[a] -= stepSize * ap[a];
        rsNew += r[a] * r[a];
      }
      if (rsNew < RESIDUAL_EPSILON) break;
      const beta = rsNew / rsOld;
      for (let a = 0; a < k; a++) p[a] = r[a] + beta * p[a];
      rsOld = rsNew;
    }
    for (let a = 0; a < k; a++) target[xOff + a] = x[a];
  }
}
