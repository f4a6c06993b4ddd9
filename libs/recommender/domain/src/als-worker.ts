import { parentPort, workerData } from 'node:worker_threads';
import { createScratch, solveRowsCg } from './als-kernel';

/**
 * Worker side of the two-thread ALS trainer: all arrays live in SharedArrayBuffers set up by the
 * parent, so a task message carries only which half-step and which row range to solve. The
 * parent guarantees the ranges of concurrent tasks are disjoint and that the "other" factors and
 * the Gram matrix are not written while tasks run.
 */
export interface AlsWorkerSide {
  factors: Float32Array;
  indptr: Int32Array;
  indices: Int32Array;
  data: Float32Array;
}

export interface AlsWorkerInit {
  k: number;
  alpha: number;
  cgSteps: number;
  users: AlsWorkerSide;
  items: AlsWorkerSide;
  gram: Float64Array;
}

export interface AlsWorkerTask {
  side: 'users' | 'items';
  start: number;
  end: number;
}

const init = workerData as AlsWorkerInit;
const scratch = createScratch(init.k);

parentPort?.on('message', (task: AlsWorkerTask) => {
  const target = task.side === 'users' ? init.users : init.items;
  const other = task.side === 'users' ? init.items : init.users;
  solveRowsCg(
    target.factors,
    other.factors,
    init.gram,
    target.indptr,
    target.indices,
    target.data,
    init.alpha,
    init.k,
    init.cgSteps,
    task.start,
    task.end,
    scratch,
  );
  parentPort?.postMessage({ done: task.side });
});
