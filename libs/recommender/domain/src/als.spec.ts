import {
  alsLoss,
  foldInUser,
  partitionByWork,
  trainAls,
  trainAlsSync,
  userVector,
  type AlsConfig,
} from './als';
import { createScratch, solveRowsCg } from './als-kernel';
import { choleskySolve, gramMatrix } from './linalg';
import { Prng } from './prng';
import { CsrMatrix } from './sparse-matrix';

/** A random users × items implicit matrix with ~density non-zeros, values in (0, 5]. */
function randomMatrix(nUsers: number, nItems: number, density: number, seed: number): CsrMatrix {
  const prng = new Prng(seed);
  const rows: number[] = [];
  const cols: number[] = [];
  const values: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    for (let i = 0; i < nItems; i++) {
      if (prng.next() < density) {
        rows.push(u);
        cols.push(i);
        values.push(1 + prng.int(5));
      }
    }
  }
  return CsrMatrix.fromTriples(nUsers, nItems, { rows, cols, values });
}

const config: AlsConfig = {
  factors: 4,
  regularization: 0.1,
  alpha: 2,
  iterations: 8,
  cgSteps: 3,
  seed: 1,
};

describe(trainAlsSync.name, () => {
  it('lowers the ALS objective at every iteration', () => {
    const matrix = randomMatrix(40, 25, 0.15, 3);
    const { losses } = trainAlsSync(matrix, config, { trackLoss: true });
    expect(losses).toHaveLength(config.iterations);
    for (let it = 1; it < losses.length; it++) expect(losses[it]).toBeLessThan(losses[it - 1]);
    // and it actually learned something: well below the loss of all-zero factors (Σ c_ui).
    let zeroLoss = 0;
    for (const r of matrix.data) zeroLoss += 1 + config.alpha * r;
    expect(losses[losses.length - 1]).toBeLessThan(0.5 * zeroLoss);
  });

  it('computes the objective exactly as the dense definition', () => {
    const matrix = randomMatrix(6, 5, 0.4, 9);
    const { model } = trainAlsSync(matrix, { ...config, iterations: 2 });
    const k = model.factors;
    let dense = 0;
    for (let u = 0; u < 6; u++) {
      for (let i = 0; i < 5; i++) {
        const r = matrix.get(u, i);
        const p = r > 0 ? 1 : 0;
        const c = 1 + config.alpha * r;
        let xy = 0;
        for (let a = 0; a < k; a++)
          xy += model.userFactors[u * k + a] * model.itemFactors[i * k + a];
        dense += c * (p - xy) ** 2;
      }
    }
    for (const x of model.userFactors) dense += config.regularization * x * x;
    for (const y of model.itemFactors) dense += config.regularization * y * y;
    expect(alsLoss(matrix, model, config)).toBeCloseTo(dense, 4);
  });

  it('is deterministic for a seed', () => {
    const matrix = randomMatrix(20, 10, 0.3, 4);
    const a = trainAlsSync(matrix, config).model;
    const b = trainAlsSync(matrix, config).model;
    expect(Array.from(a.userFactors)).toEqual(Array.from(b.userFactors));
    expect(Array.from(trainAlsSync(matrix, { ...config, seed: 2 }).model.userFactors)).not.toEqual(
      Array.from(a.userFactors),
    );
  });

  it('lets fold-in reproduce a training user’s vector from its interactions', () => {
    const matrix = randomMatrix(50, 30, 0.2, 5);
    // Exact inner solves and enough iterations to converge, so the last user step and the final
    // item factors agree.
    const cfg = { ...config, iterations: 60, cgSteps: config.factors };
    const { model } = trainAlsSync(matrix, cfg);
    for (const u of [0, 7, 23]) {
      const folded = foldInUser(
        model,
        { itemIndices: matrix.rowIndices(u), values: matrix.rowValues(u) },
        cfg,
      );
      const trained = userVector(model, u);
      let diff = 0;
      let norm = 0;
      for (let a = 0; a < model.factors; a++) {
        diff += (folded[a] - trained[a]) ** 2;
        norm += trained[a] ** 2;
      }
      expect(Math.sqrt(diff / norm)).toBeLessThan(0.02);
    }
  });
});

describe(solveRowsCg.name, () => {
  it('matches a direct (Cholesky) solve of the normal equations when run k steps', () => {
    const k = 5;
    const prng = new Prng(11);
    const nItems = 12;
    const ys = Float32Array.from({ length: nItems * k }, () => prng.normal());
    const alpha = 3;
    const lambda = 0.5;
    // One user with 4 observed items.
    const matrix = CsrMatrix.fromTriples(1, nItems, {
      rows: [0, 0, 0, 0],
      cols: [1, 4, 5, 9],
      values: [1, 2, 0.5, 4],
    });
    const gram = gramMatrix(ys, nItems, k, lambda);

    // Direct: A = YᵀY + λI + Σ (c−1) y yᵀ,  b = Σ c y.
    const a = Float64Array.from(gram);
    const b = new Float64Array(k);
    for (let t = 0; t < matrix.nnz; t++) {
      const i = matrix.indices[t];
      const c = 1 + alpha * matrix.data[t];
      for (let p = 0; p < k; p++) {
        b[p] += c * ys[i * k + p];
        for (let q = 0; q < k; q++) a[p * k + q] += (c - 1) * ys[i * k + p] * ys[i * k + q];
      }
    }
    const direct = choleskySolve(a, b, k);

    const xs = Float32Array.from({ length: k }, () => prng.normal()); // arbitrary warm start
    solveRowsCg(
      xs,
      ys,
      gram,
      matrix.indptr,
      matrix.indices,
      matrix.data,
      alpha,
      k,
      k,
      0,
      1,
      createScratch(k),
    );
    for (let p = 0; p < k; p++) expect(xs[p]).toBeCloseTo(direct[p], 4);
  });
});

describe(trainAls.name, () => {
  it('gives the same factors on two threads as on one', async () => {
    const matrix = randomMatrix(60, 40, 0.2, 8);
    const single = await trainAls(matrix, config, { threads: 1 });
    const dual = await trainAls(matrix, config, { threads: 2, minNnzForThreads: 0 });
    expect(single.threadsUsed).toBe(1);
    expect(dual.threadsUsed).toBe(2);
    expect(Array.from(dual.model.userFactors)).toEqual(Array.from(single.model.userFactors));
    expect(Array.from(dual.model.itemFactors)).toEqual(Array.from(single.model.itemFactors));
  }, 30_000);

  it('stays on one thread for small data', async () => {
    const result = await trainAls(randomMatrix(5, 5, 0.5, 1), config, { threads: 2 });
    expect(result.threadsUsed).toBe(1);
  });
});

describe(partitionByWork.name, () => {
  it('splits rows into contiguous ranges of about equal work', () => {
    // 4 rows with 10, 0, 0, 10 non-zeros, k = 1: costs 21, 1, 1, 21.
    const bounds = partitionByWork(Int32Array.from([0, 10, 10, 10, 20]), 2, 1);
    expect(bounds).toEqual([0, 2, 4]);
  });
});
