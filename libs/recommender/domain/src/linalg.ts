/**
 * The few dense k×k operations the models need (k = number of latent factors, tens). Matrices
 * are row-major Float64Array; factor tables are row-major n×k Float32Array.
 */

/** Σ_i a[aOff+i]·b[bOff+i] for i < k. */
export function dot(
  a: ArrayLike<number>,
  aOff: number,
  b: ArrayLike<number>,
  bOff: number,
  k: number,
): number {
  let s = 0;
  for (let i = 0; i < k; i++) s += a[aOff + i] * b[bOff + i];
  return s;
}

/** FᵀF + λI for an n×k factor table F (the "YtY" of ALS, regularisation included). */
export function gramMatrix(
  factors: Float32Array,
  n: number,
  k: number,
  lambda: number,
  out?: Float64Array,
): Float64Array {
  const g = out ?? new Float64Array(k * k);
  g.fill(0);
  for (let r = 0; r < n; r++) {
    const off = r * k;
    for (let a = 0; a < k; a++) {
      const fa = factors[off + a];
      if (fa === 0) continue;
      const row = a * k;
      for (let b = a; b < k; b++) g[row + b] += fa * factors[off + b];
    }
  }
  for (let a = 0; a < k; a++) {
    g[a * k + a] += lambda;
    for (let b = 0; b < a; b++) g[a * k + b] = g[b * k + a];
  }
  return g;
}

/**
 * Solves A x = b for a symmetric positive-definite k×k A by Cholesky (A = L Lᵀ). Throws if A is
 * not positive definite. Used for fold-in (exact) and to check the CG solver in tests.
 */
export function choleskySolve(a: Float64Array, b: ArrayLike<number>, k: number): Float64Array {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * k + j];
      for (let p = 0; p < j; p++) s -= l[i * k + p] * l[j * k + p];
      if (i === j) {
        if (!(s > 0)) throw new RangeError('matrix is not positive definite');
        l[i * k + i] = Math.sqrt(s);
      } else {
        l[i * k + j] = s / l[j * k + j];
      }
    }
  }
  const y = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i];
    for (let p = 0; p < i; p++) s -= l[i * k + p] * y[p];
    y[i] = s / l[i * k + i];
  }
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = y[i];
    for (let p = i + 1; p < k; p++) s -= l[p * k + i] * x[p];
    x[i] = s / l[i * k + i];
  }
  return x;
}
