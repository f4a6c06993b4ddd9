import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createScratch, solveRowsCg } from './als-kernel';
import type { AlsWorkerInit, AlsWorkerSide, AlsWorkerTask } from './als-worker';
import { choleskySolve, dot, gramMatrix } from './linalg';
import { Prng } from './prng';
import type { CsrMatrix } from './sparse-matrix';

/** Implicit-feedback ALS (Hu, Koren & Volinsky 2008) with a conjugate-gradient inner solver. */
export interface AlsConfig {
  /** Latent dimension k. */
  factors: number;
  /** λ of the L2 penalty on every user and item vector. */
  regularization: number;
  /** Confidence c_ui = 1 + alpha · r_ui. */
  alpha: number;
  iterations: number;
  /** CG steps per row and half-iteration (3 is the `implicit` default; k makes it exact). */
  cgSteps: number;
  /** Seed of the factor initialisation. */
  seed: number;
}

/**
 * Chosen on the synthetic-store bench (bench/recommender): with ~20 distinct items per person,
 * 64 factors and λ = 0.05 overfit (NDCG@10 below popularity); 32 factors with strong
 * regularisation and α = 1 generalise (about 2× popularity's NDCG@10).
 */
export const DEFAULT_ALS_CONFIG: Readonly<AlsConfig> = {
  factors: 32,
  regularization: 10,
  alpha: 1,
  iterations: 10,
  cgSteps: 3,
  seed: 42,
};

export interface AlsModel {
  factors: number;
  nUsers: number;
  nItems: number;
  /** nUsers × factors, row-major. */
  userFactors: Float32Array;
  /** nItems × factors, row-major. */
  itemFactors: Float32Array;
}

export interface AlsTrainOptions {
  /** Threads to use (1 = this thread only). Default 2 (the deployment has two cores). */
  threads?: number;
  /**
   * Below this many non-zeros, threads are not worth their start-up and messaging cost and
   * training runs on this thread whatever `threads` says.
   */
  minNnzForThreads?: number;
  /** Called after every full iteration (users then items) with the ALS objective when `trackLoss`. */
  onIteration?: (iteration: number, loss: number | undefined) => void;
  trackLoss?: boolean;
}

export interface AlsTrainResult {
  model: AlsModel;
  /** The objective after each iteration (empty unless `trackLoss`). */
  losses: number[];
  threadsUsed: number;
}

/** Small random factors (normal · 0.01), deterministic from the seed; users first, then items. */
export function initAlsModel(nUsers: number, nItems: number, config: AlsConfig): AlsModel {
  const prng = new Prng(config.seed);
  const k = config.factors;
  const userFactors = new Float32Array(nUsers * k);
  const itemFactors = new Float32Array(nItems * k);
  for (let i = 0; i < userFactors.length; i++) userFactors[i] = prng.normal() * 0.01;
  for (let i = 0; i < itemFactors.length; i++) itemFactors[i] = prng.normal() * 0.01;
  return { factors: k, nUsers, nItems, userFactors, itemFactors };
}

/**
 * The ALS objective
 *   Σ_{u,i} c_ui (p_ui − x_u·y_i)² + λ (Σ_u ‖x_u‖² + Σ_i ‖y_i‖²)
 * over ALL user×item pairs (p = 0, c = 1 where r_ui = 0), computed without the dense sum:
 *   Σ_{u,i} (x_u·y_i)² = Σ_u x_uᵀ (YᵀY) x_u, then corrected on the observed entries.
 */
export function alsLoss(
  matrix: CsrMatrix,
  model: AlsModel,
  config: Pick<AlsConfig, 'alpha' | 'regularization'>,
): number {
  const k = model.factors;
  const { userFactors: xs, itemFactors: ys } = model;
  const yty = gramMatrix(ys, model.nItems, k, 0);
  let loss = 0;
  for (let u = 0; u < model.nUsers; u++) {
    const off = u * k;
    for (let a = 0; a < k; a++) {
      const xa = xs[off + a];
      let s = 0;
      for (let b = 0; b < k; b++) s += yty[a * k + b] * xs[off + b];
      loss += xa * s;
    }
    for (let t = matrix.indptr[u]; t < matrix.indptr[u + 1]; t++) {
      const xy = dot(xs, off, ys, matrix.indices[t] * k, k);
      const c = 1 + config.alpha * matrix.data[t];
      loss += c * (1 - xy) * (1 - xy) - xy * xy;
    }
  }
  let norms = 0;
  for (let i = 0; i < xs.length; i++) norms += xs[i] * xs[i];
  for (let i = 0; i < ys.length; i++) norms += ys[i] * ys[i];
  return loss + config.regularization * norms;
}

/** Trains on this thread only. `matrix` is users × items with r_ui > 0 on stored entries. */
export function trainAlsSync(
  matrix: CsrMatrix,
  config: AlsConfig,
  options: AlsTrainOptions = {},
): AlsTrainResult {
  const model = initAlsModel(matrix.nRows, matrix.nCols, config);
  const itemMatrix = matrix.transpose();
  const k = config.factors;
  const scratch = createScratch(k);
  const gram = new Float64Array(k * k);
  const losses: number[] = [];
  for (let it = 0; it < config.iterations; it++) {
    gramMatrix(model.itemFactors, model.nItems, k, config.regularization, gram);
    solveRowsCg(
      model.userFactors,
      model.itemFactors,
      gram,
      matrix.indptr,
      matrix.indices,
      matrix.data,
      config.alpha,
      k,
      config.cgSteps,
      0,
      model.nUsers,
      scratch,
    );
    gramMatrix(model.userFactors, model.nUsers, k, config.regularization, gram);
    solveRowsCg(
      model.itemFactors,
      model.userFactors,
      gram,
      itemMatrix.indptr,
      itemMatrix.indices,
      itemMatrix.data,
      config.alpha,
      k,
      config.cgSteps,
      0,
      model.nItems,
      scratch,
    );
    reportIteration(it, matrix, model, config, options, losses);
  }
  return { model, losses, threadsUsed: 1 };
}

/**
 * Trains with up to `threads` threads: this one plus `threads − 1` workers sharing the factor
 * tables through SharedArrayBuffers. Each half-iteration splits the rows into contiguous ranges
 * of about equal work (by non-zeros) and waits for all of them, so the result is the same as
 * the single-thread trainer's bit for bit (every row's update reads only the other side).
 */
export async function trainAls(
  matrix: CsrMatrix,
  config: AlsConfig,
  options: AlsTrainOptions = {},
): Promise<AlsTrainResult> {
  const threads = Math.max(1, Math.floor(options.threads ?? 2));
  if (threads === 1 || matrix.nnz < (options.minNnzForThreads ?? 50_000)) {
    return trainAlsSync(matrix, config, options);
  }
  const k = config.factors;
  const init = initAlsModel(matrix.nRows, matrix.nCols, config);
  const itemMatrix = matrix.transpose();
  const users = sharedSide(init.userFactors, matrix);
  const items = sharedSide(init.itemFactors, itemMatrix);
  const gram = new Float64Array(new SharedArrayBuffer(k * k * 8));
  const model: AlsModel = { ...init, userFactors: users.factors, itemFactors: items.factors };
  const workerInit: AlsWorkerInit = {
    k,
    alpha: config.alpha,
    cgSteps: config.cgSteps,
    users,
    items,
    gram,
  };
  const workers = Array.from({ length: threads - 1 }, () => spawnAlsWorker(workerInit));
  const scratch = createScratch(k);
  const losses: number[] = [];
  try {
    for (let it = 0; it < config.iterations; it++) {
      gramMatrix(model.itemFactors, model.nItems, k, config.regularization, gram);
      await halfStep('users', users, items, workers, threads, config, gram, scratch);
      gramMatrix(model.userFactors, model.nUsers, k, config.regularization, gram);
      await halfStep('items', items, users, workers, threads, config, gram, scratch);
      reportIteration(it, matrix, model, config, options, losses);
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  // Hand back ordinary (non-shared) arrays: callers may transfer or keep them freely.
  return {
    model: {
      ...model,
      userFactors: Float32Array.from(model.userFactors),
      itemFactors: Float32Array.from(model.itemFactors),
    },
    losses,
    threadsUsed: threads,
  };
}

async function halfStep(
  side: AlsWorkerTask['side'],
  target: AlsWorkerSide,
  other: AlsWorkerSide,
  workers: Worker[],
  threads: number,
  config: AlsConfig,
  gram: Float64Array,
  scratch: ReturnType<typeof createScratch>,
): Promise<void> {
  const bounds = partitionByWork(target.indptr, threads, config.factors);
  const pending = workers.map((worker, w) =>
    runTask(worker, { side, start: bounds[w + 1], end: bounds[w + 2] }),
  );
  // This thread takes the first range while the workers run theirs.
  solveRowsCg(
    target.factors,
    other.factors,
    gram,
    target.indptr,
    target.indices,
    target.data,
    config.alpha,
    config.factors,
    config.cgSteps,
    bounds[0],
    bounds[1],
    scratch,
  );
  await Promise.all(pending);
}

function runTask(worker: Worker, task: AlsWorkerTask): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => {
      worker.off('message', onMessage);
      reject(error);
    };
    const onMessage = () => {
      worker.off('error', onError);
      resolve();
    };
    worker.once('message', onMessage);
    worker.once('error', onError);
    worker.postMessage(task);
  });
}

/**
 * Splits rows 0..n into `parts` contiguous ranges of about equal cost, a row costing about
 * k² + 2k·nnz(row) per CG step (the dense Gram product plus the sparse correction).
 */
export function partitionByWork(indptr: Int32Array, parts: number, k: number): number[] {
  const n = indptr.length - 1;
  const total = k * n + 2 * indptr[n];
  const bounds = [0];
  let row = 0;
  for (let part = 1; part < parts; part++) {
    const goal = (total * part) / parts;
    while (row < n && k * row + 2 * indptr[row] < goal) row++;
    bounds.push(row);
  }
  bounds.push(n);
  return bounds;
}

function sharedSide(factors: Float32Array, m: CsrMatrix): AlsWorkerSide {
  return {
    factors: sharedCopy(factors, Float32Array),
    indptr: sharedCopy(m.indptr, Int32Array),
    indices: sharedCopy(m.indices, Int32Array),
    data: sharedCopy(m.data, Float32Array),
  };
}

function sharedCopy<T extends Float32Array | Int32Array>(
  source: T,
  Ctor: { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number },
): T {
  const copy = new Ctor(new SharedArrayBuffer(Math.max(1, source.length) * Ctor.BYTES_PER_ELEMENT));
  copy.set(source);
  return source.length === 0 ? (copy.subarray(0, 0) as T) : copy;
}

/**
 * Starts a worker on the compiled `als-worker.js` beside this file. When this file runs from
 * TypeScript sources (Jest transpiles on the fly, there is no .js), the worker first installs a
 * require hook that transpiles .ts with @swc/core, the transpiler Jest itself uses here.
 */
function spawnAlsWorker(init: AlsWorkerInit): Worker {
  const ext = extname(__filename);
  const entry = join(__dirname, `als-worker${ext}`);
  if (ext !== '.ts') return new Worker(entry, { workerData: init });
  const bootstrap = `
    const { readFileSync } = require('node:fs');
    const swc = require(${JSON.stringify(require.resolve('@swc/core'))});
    require.extensions['.ts'] = (module, filename) => {
      const { code } = swc.transformSync(readFileSync(filename, 'utf8'), {
        filename,
        jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
        module: { type: 'commonjs' },
      });
      module._compile(code, filename);
    };
    require(${JSON.stringify(entry)});
  `;
  return new Worker(bootstrap, { eval: true, workerData: init });
}

function reportIteration(
  it: number,
  matrix: CsrMatrix,
  model: AlsModel,
  config: AlsConfig,
  options: AlsTrainOptions,
  losses: number[],
): void {
  let loss: number | undefined;
  if (options.trackLoss) {
    loss = alsLoss(matrix, model, config);
    losses.push(loss);
  }
  options.onIteration?.(it, loss);
}

/** x_u · y_i for every item. */
export function scoreAllItems(
  model: AlsModel,
  userVector: ArrayLike<number>,
  out = new Float32Array(model.nItems),
): Float32Array {
  const k = model.factors;
  for (let i = 0; i < model.nItems; i++) out[i] = dot(model.itemFactors, i * k, userVector, 0, k);
  return out;
}

/** The trained vector of user index u (a view). */
export function userVector(model: AlsModel, u: number): Float32Array {
  return model.userFactors.subarray(u * model.factors, (u + 1) * model.factors);
}

/**
 * Fold-in: the user vector that a user-side ALS step would compute for these interactions against
 * the fixed item factors, without retraining. Solved exactly (Cholesky on the k×k normal
 * equations) since it is a single small system. For a user of the training set this reproduces
 * the trained vector up to the item factors' last update.
 */
export function foldInUser(
  model: AlsModel,
  interactions: { itemIndices: ArrayLike<number>; values: ArrayLike<number> },
  config: Pick<AlsConfig, 'alpha' | 'regularization'>,
  gram?: Float64Array,
): Float32Array {
  const k = model.factors;
  const a = Float64Array.from(
    gram ?? gramMatrix(model.itemFactors, model.nItems, k, config.regularization),
  );
  const b = new Float64Array(k);
  const ys = model.itemFactors;
  for (let t = 0; t < interactions.itemIndices.length; t++) {
    const i = interactions.itemIndices[t];
    const r = interactions.values[t];
    if (!(r > 0) || i < 0 || i >= model.nItems) continue;
    const c = 1 + config.alpha * r;
    const off = i * k;
    for (let p = 0; p < k; p++) {
      const yp = ys[off + p];
      b[p] += c * yp;
      const row = p * k;
      for (let q = 0; q < k; q++) a[row + q] += (c - 1) * yp * ys[off + q];
    }
  }
  return Float32Array.from(choleskySolve(a, b, k));
}
