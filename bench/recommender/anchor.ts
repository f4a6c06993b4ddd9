/**
 * Anchor bench: our ALS against the Python `implicit` library on the same matrix, same
 * hyperparameters, same time split.
 *
 *   npx tsc -p bench/recommender/tsconfig.json && node dist/bench/bench/recommender/anchor.js
 *     [--users 5000] [--items 2000] [--seed 7] [--runs 3] [--iterations 10] [--factors 32]
 *     [--regularization 10] [--alpha 1] [--cg-steps 3] [--threads 2] [--python python3]
 *     [--no-install] [--keep]
 *
 * 1. Generates the synthetic store (evaluate.ts's) and its time split (last 15% of days held out).
 * 2. Builds the training matrix with the production weighting/decay and writes it as
 *    (user, item, r_ui) triples plus the test set to a temporary folder.
 * 3. Trains our ALS (median of --runs) and scores P@10 / R@10 of raw ALS: x_u·y_i over the whole
 *    catalogue, items the person already has in training removed, top 10.
 * 4. Runs bench/recommender/implicit_anchor.py (implicit's AlternatingLeastSquares, native CG,
 *    float32, same threads; median of --runs fits; `recommend(..., filter_already_liked_items)`).
 *    If `import implicit` fails it tries `pip install -r bench/recommender/requirements.txt`
 *    (skipped with --no-install); without Python or implicit the column is skipped.
 * 5. Also runs the full offline evaluation of the split (hybrid vs popularity).
 *
 * Confidence convention: both sides use c_ui = 1 + α·r_ui. implicit 0.7 itself uses
 * c_ui = α·r_ui (it scales the matrix by `alpha` and takes the value as the confidence), so the
 * Python side is given the matrix 1 + α·r with implicit's alpha = 1.0 — the same objective.
 * Differences that remain: factor initialisation (ours normal·0.01, implicit uniform[0, 0.01))
 * and float summation order, so precision may differ by noise.
 *
 * A benchmark, not a test: nothing asserts; the targets (time ≤ 2× implicit, |ΔP@10| ≤ 0.01) are
 * reported as met / missed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  DAY_MS,
  DEFAULT_ALS_CONFIG,
  DEFAULT_INTERACTION_WEIGHTS,
  buildCatalog,
  buildInteractionMatrix,
  evaluateSplit,
  precisionAtK,
  recallAtK,
  scoreAllItems,
  timeHoldout,
  topK,
  trainAls,
  trainAlsSync,
  userVector,
  type AlsConfig,
  type AlsModel,
  type CsrMatrix,
  type EvaluationConfig,
} from '../../libs/recommender/domain/src';
import { DEFAULT_STORE, generateStore } from './synthetic-store';

const K = 10;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
function strArg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}
function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

interface ImplicitResult {
  implicit_version: string;
  train_seconds: number;
  train_seconds_runs: number[];
  train_seconds_one_thread: number;
  recommend_seconds: number;
  precision_at_10: number;
  recall_at_10: number;
  users: number;
  nnz: number;
  ours_precision_at_10_recomputed?: number;
}

type PythonOutcome = { ok: true; result: ImplicitResult } | { ok: false; reason: string };

async function main(): Promise<void> {
  const spec = {
    ...DEFAULT_STORE,
    users: arg('users', DEFAULT_STORE.users),
    items: arg('items', DEFAULT_STORE.items),
    seed: arg('seed', DEFAULT_STORE.seed),
  };
  const runs = Math.max(1, Math.floor(arg('runs', 3)));
  const threads = Math.max(1, Math.floor(arg('threads', 2)));
  const als: AlsConfig = {
    ...DEFAULT_ALS_CONFIG,
    iterations: arg('iterations', DEFAULT_ALS_CONFIG.iterations),
    factors: arg('factors', DEFAULT_ALS_CONFIG.factors),
    regularization: arg('regularization', DEFAULT_ALS_CONFIG.regularization),
    alpha: arg('alpha', DEFAULT_ALS_CONFIG.alpha),
    cgSteps: arg('cg-steps', DEFAULT_ALS_CONFIG.cgSteps),
  };

  // 1. Store and split (as evaluate.ts).
  const store = generateStore(spec);
  const catalog = buildCatalog(store.items);
  const cutoff = spec.startTime + Math.round(spec.days * 0.85) * DAY_MS;
  const split = timeHoldout(store.events, cutoff);
  const evalConfig: EvaluationConfig = {
    k: K,
    als,
    threads,
    weights: DEFAULT_INTERACTION_WEIGHTS,
    interactionHalfLifeMs: 60 * DAY_MS,
    trendingHalfLifeMs: 14 * DAY_MS,
    diversityCap: 3,
  };
  const { matrix, users } = buildInteractionMatrix(
    split.train,
    {
      weights: evalConfig.weights,
      halfLifeMs: evalConfig.interactionHalfLifeMs,
      referenceTime: split.referenceTime,
    },
    { items: catalog.items, fixedItems: true },
  );
  const testUsers: number[] = [];
  const testItems: number[][] = [];
  for (const [userId, relevant] of split.test) {
    const u = users.indexOf(userId);
    if (u < 0 || relevant.size === 0) continue;
    testUsers.push(u);
    testItems.push([...relevant].map((id) => catalog.items.indexOf(id)).filter((i) => i >= 0));
  }
  console.log(
    `store: ${store.events.length} events (${split.train.length} in training), matrix ${matrix.nRows}×${matrix.nCols} nnz=${matrix.nnz}, ${testUsers.length} test users`,
  );
  if (store.events.length < 100_000)
    console.log('note: fewer than 100,000 interactions; raise --users for a fair anchor');

  // 2. Files for the Python side.
  const folder = mkdtempSync(join(tmpdir(), 'kairos-als-anchor-'));
  writeTriples(join(folder, 'train.tsv'), matrix);
  writeFileSync(join(folder, 'test.json'), JSON.stringify({ users: testUsers, items: testItems }));
  writeFileSync(
    join(folder, 'meta.json'),
    JSON.stringify({
      nUsers: matrix.nRows,
      nItems: matrix.nCols,
      factors: als.factors,
      regularization: als.regularization,
      alpha: als.alpha,
      iterations: als.iterations,
      cgSteps: als.cgSteps,
      seed: als.seed,
      threads,
      runs,
      k: K,
    }),
  );

  // 3. Ours: median of `runs` two-thread trainings (workers forced on), plus one on one thread.
  const loadBefore = loadavg();
  const times: number[] = [];
  let model: AlsModel | undefined;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const trained = await trainAls(matrix, als, { threads, minNnzForThreads: 0 });
    times.push((performance.now() - t0) / 1000);
    model = trained.model;
  }
  if (!model) throw new Error('no run');
  let t0 = performance.now();
  trainAlsSync(matrix, als);
  const singleThreadSeconds = (performance.now() - t0) / 1000;
  writeFileSync(join(folder, 'ours_user_factors.f32'), model.userFactors);
  writeFileSync(join(folder, 'ours_item_factors.f32'), model.itemFactors);
  t0 = performance.now();
  const oursMetrics = rawAlsMetrics(model, matrix, testUsers, testItems);
  const oursRecommendSeconds = (performance.now() - t0) / 1000;

  // 4. implicit.
  const python = runImplicit(folder, strArg('python', 'python3'), !flag('no-install'));

  // 5. The product's view of the same split: hybrid vs popularity (and the hybrid's ALS path).
  const evaluation = await evaluateSplit(split, catalog, store.items, evalConfig);

  const loadAfter = loadavg();
  if (flag('keep')) console.log(`kept ${folder}`);
  else rmSync(folder, { recursive: true, force: true });

  const ours = {
    trainSeconds: median(times),
    trainSecondsRuns: times,
    singleThreadTrainSeconds: singleThreadSeconds,
    recommendSeconds: oursRecommendSeconds,
    precisionAt10: oursMetrics.precision,
    recallAt10: oursMetrics.recall,
  };
  const comparison = python.ok
    ? {
        trainTimeRatio: ours.trainSeconds / python.result.train_seconds,
        trainTimeTargetMet: ours.trainSeconds <= 2 * python.result.train_seconds,
        precisionDiff: ours.precisionAt10 - python.result.precision_at_10,
        precisionTargetMet: Math.abs(ours.precisionAt10 - python.result.precision_at_10) <= 0.01,
        metricCrossCheckDiff:
          python.result.ours_precision_at_10_recomputed === undefined
            ? undefined
            : ours.precisionAt10 - python.result.ours_precision_at_10_recomputed,
      }
    : undefined;
  const product = Object.fromEntries(
    Object.entries(evaluation.models).map(([name, m]) => [
      name,
      { precision: m.precision, recall: m.recall, ndcg: m.ndcg, coverage: m.coverage },
    ]),
  );
  const output = {
    store: {
      seed: spec.seed,
      users: spec.users,
      items: spec.items,
      events: store.events.length,
      trainEvents: split.train.length,
      matrixNnz: matrix.nnz,
      testUsers: testUsers.length,
    },
    als,
    threads,
    runs,
    loadAverage: { before: loadBefore, after: loadAfter },
    confidence:
      'c_ui = 1 + alpha*r_ui on both sides (implicit: alpha=1.0 on the matrix 1 + alpha*r)',
    ours,
    implicit: python.ok ? python.result : { skipped: python.reason },
    comparison,
    product: {
      models: product,
      hybridOverPopularityNdcg: product.hybrid.ndcg / product.popularity.ndcg,
      hybridOverPopularityPrecision: product.hybrid.precision / product.popularity.precision,
    },
  };
  console.log(
    JSON.stringify(output, (_k, v: unknown) => (typeof v === 'number' ? round(v) : v), 2),
  );

  const f = (x: number, d = 4) => x.toFixed(d).padStart(9);
  console.log(
    `\nALS anchor (time split, k=${als.factors}, λ=${als.regularization}, α=${als.alpha}, ${als.iterations} it, ${als.cgSteps} CG steps, ${threads} threads, median of ${runs})`,
  );
  console.log('side          train s      P@10      R@10');
  console.log(
    `ours       ${f(ours.trainSeconds, 3)} ${f(ours.precisionAt10)} ${f(ours.recallAt10)}`,
  );
  if (python.ok) {
    const p = python.result;
    console.log(`implicit   ${f(p.train_seconds, 3)} ${f(p.precision_at_10)} ${f(p.recall_at_10)}`);
    const c = comparison!;
    console.log(
      `ratio ours/implicit ${c.trainTimeRatio.toFixed(2)}× (target ≤ 2: ${c.trainTimeTargetMet ? 'met' : 'MISSED'}); ΔP@10 ${c.precisionDiff.toFixed(4)} (target |Δ| ≤ 0.01: ${c.precisionTargetMet ? 'met' : 'MISSED'})`,
    );
  } else {
    console.log(`implicit   skipped: ${python.reason}`);
  }
  console.log(
    `one thread: ours ${singleThreadSeconds.toFixed(3)} s` +
      (python.ok ? `, implicit ${python.result.train_seconds_one_thread.toFixed(3)} s` : '') +
      ` (load average 1/5/15 min: ${loadBefore.map((x) => x.toFixed(2)).join(' ')} → ${loadAfter.map((x) => x.toFixed(2)).join(' ')})`,
  );
  console.log('\nproduct models (filters: seen + unavailable)   P@10    NDCG@10');
  for (const [name, m] of Object.entries(product))
    console.log(`  ${name.padEnd(15)} ${f(m.precision)} ${f(m.ndcg)}`);
  console.log(
    `  hybrid / popularity: NDCG ×${output.product.hybridOverPopularityNdcg.toFixed(2)}, P@10 ×${output.product.hybridOverPopularityPrecision.toFixed(2)}`,
  );
  writeFileSync(join(__dirname, 'anchor-result.json'), JSON.stringify(output, null, 2));
  console.log(`wrote ${join(__dirname, 'anchor-result.json')}`);
}

/** One line per stored entry; float32 values print exactly (a float32 widened to double). */
function writeTriples(path: string, matrix: CsrMatrix): void {
  const lines: string[] = [];
  for (let u = 0; u < matrix.nRows; u++) {
    for (let t = matrix.indptr[u]; t < matrix.indptr[u + 1]; t++)
      lines.push(`${u}\t${matrix.indices[t]}\t${matrix.data[t]}`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

/** Raw ALS top k (x_u·y_i, training items removed), the same procedure as implicit's recommend. */
function rawAlsMetrics(
  model: AlsModel,
  matrix: CsrMatrix,
  testUsers: number[],
  testItems: number[][],
): { precision: number; recall: number } {
  const scores = new Float32Array(model.nItems);
  let precision = 0;
  let recall = 0;
  testUsers.forEach((u, n) => {
    scoreAllItems(model, userVector(model, u), scores);
    const seen = new Set(matrix.rowIndices(u));
    const recs = topK(scores, K, (i) => !seen.has(i)).map(String);
    const relevant = new Set(testItems[n].map(String));
    precision += precisionAtK(recs, relevant, K);
    recall += recallAtK(recs, relevant, K);
  });
  const count = Math.max(1, testUsers.length);
  return { precision: precision / count, recall: recall / count };
}

function runImplicit(folder: string, python: string, install: boolean): PythonOutcome {
  const root = workspaceRoot();
  const script = join(root, 'bench/recommender/implicit_anchor.py');
  const requirements = join(root, 'bench/recommender/requirements.txt');
  const probe = () =>
    spawnSync(python, ['-c', 'import implicit, scipy, numpy'], { encoding: 'utf8' });
  let check = probe();
  if (check.error) return { ok: false, reason: `${python} not runnable (${check.error.message})` };
  if (check.status !== 0) {
    if (!install)
      return { ok: false, reason: `python cannot import implicit/scipy/numpy (--no-install)` };
    console.log(
      `implicit/scipy/numpy not importable; installing: ${python} -m pip install -r ${requirements}`,
    );
    const pip = spawnSync(python, ['-m', 'pip', 'install', '-r', requirements], {
      stdio: 'inherit',
    });
    check = probe();
    if (pip.status !== 0 || check.status !== 0)
      return {
        ok: false,
        reason: `pip install -r ${requirements} failed; skipping the implicit column`,
      };
  }
  console.log(`running ${python} ${script} (fits: median of several, may take a while)`);
  const run = spawnSync(python, [script, folder], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0)
    return {
      ok: false,
      reason: `implicit_anchor.py exited ${run.status}: ${(run.stderr ?? '').slice(-2000)}`,
    };
  const last = run.stdout.trim().split('\n').pop() ?? '';
  try {
    return { ok: true, result: JSON.parse(last) as ImplicitResult };
  } catch {
    return { ok: false, reason: `unreadable output of implicit_anchor.py: ${last.slice(0, 500)}` };
  }
}

function workspaceRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no nx.json above ${from}`);
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
