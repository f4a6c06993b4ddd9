/**
 * Offline evaluation of the recommender's models on a deterministic synthetic shop.
 *
 *   npx tsc -p bench/recommender/tsconfig.json && node dist/bench/bench/recommender/evaluate.js [--users 5000] [--items 2000] [--seed 7]
 *
 * Prints the JSON result and a short table; writes result.json and report.html beside the
 * compiled script. A benchmark, not a test: nothing here asserts on timings.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DAY_MS,
  DEFAULT_ALS_CONFIG,
  DEFAULT_INTERACTION_WEIGHTS,
  buildCatalog,
  buildInteractionMatrix,
  evaluateSplit,
  randomUserHoldout,
  renderHtmlReport,
  timeHoldout,
  trainAls,
  type EvaluationConfig,
  type EvaluationResult,
} from '../../libs/recommender/domain/src';
import { DEFAULT_STORE, generateStore } from './synthetic-store';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  const spec = {
    ...DEFAULT_STORE,
    users: arg('users', DEFAULT_STORE.users),
    items: arg('items', DEFAULT_STORE.items),
    seed: arg('seed', DEFAULT_STORE.seed),
  };
  let t0 = performance.now();
  const store = generateStore(spec);
  const generateMs = performance.now() - t0;
  const catalog = buildCatalog(store.items);
  const config: EvaluationConfig = {
    k: 10,
    als: { ...DEFAULT_ALS_CONFIG, iterations: arg('iterations', DEFAULT_ALS_CONFIG.iterations) },
    threads: 2,
    weights: DEFAULT_INTERACTION_WEIGHTS,
    interactionHalfLifeMs: 60 * DAY_MS,
    trendingHalfLifeMs: 14 * DAY_MS,
    diversityCap: 3,
  };

  const cutoff = spec.startTime + Math.round(spec.days * 0.85) * DAY_MS;
  const splits = [
    timeHoldout(store.events, cutoff),
    randomUserHoldout(store.events, { testFraction: 0.2, seed: spec.seed, minItems: 5 }),
  ];
  const results: EvaluationResult[] = [];
  for (const split of splits)
    results.push(await evaluateSplit(split, catalog, store.items, config));

  // Training time, one thread vs two, on the time split's matrix (same seed ⇒ same factors).
  const { matrix } = buildInteractionMatrix(
    splits[0].train,
    {
      weights: config.weights,
      halfLifeMs: config.interactionHalfLifeMs,
      referenceTime: splits[0].referenceTime,
    },
    { items: catalog.items, fixedItems: true },
  );
  t0 = performance.now();
  const single = await trainAls(matrix, config.als, { threads: 1 });
  const singleMs = performance.now() - t0;
  t0 = performance.now();
  const dual = await trainAls(matrix, config.als, { threads: 2, minNnzForThreads: 0 });
  const dualMs = performance.now() - t0;
  const identical =
    single.model.userFactors.every((x, i) => x === dual.model.userFactors[i]) &&
    single.model.itemFactors.every((x, i) => x === dual.model.itemFactors[i]);

  const output = {
    store: {
      seed: spec.seed,
      users: spec.users,
      items: spec.items,
      events: store.events.length,
      generateMs: round(generateMs),
    },
    alsConfig: config.als,
    training: {
      matrixNnz: matrix.nnz,
      singleThreadMs: round(singleMs),
      twoThreadMs: round(dualMs),
      speedup: round(singleMs / dualMs),
      identicalFactors: identical,
    },
    results,
  };
  console.log(
    JSON.stringify(output, (_k, v: unknown) => (typeof v === 'number' ? round(v) : v), 2),
  );

  console.log('\nsplit   model            P@10    R@10    MAP@10  NDCG@10 coverage');
  for (const r of results) {
    for (const [model, m] of Object.entries(r.models)) {
      console.log(
        `${r.split.padEnd(7)} ${model.padEnd(15)} ${[m.precision, m.recall, m.map, m.ndcg, m.coverage].map((x) => x.toFixed(4).padStart(7)).join(' ')}`,
      );
    }
  }
  console.log(
    `\nALS training (${config.als.iterations} it, k=${config.als.factors}, nnz=${matrix.nnz}): 1 thread ${singleMs.toFixed(0)} ms, 2 threads ${dualMs.toFixed(0)} ms (×${(singleMs / dualMs).toFixed(2)}), identical factors: ${identical}`,
  );

  writeFileSync(join(__dirname, 'result.json'), JSON.stringify(output, null, 2));
  writeFileSync(
    join(__dirname, 'report.html'),
    renderHtmlReport(results, `Recommender evaluation (synthetic store, seed ${spec.seed})`),
  );
  console.log(`wrote ${join(__dirname, 'result.json')} and report.html`);
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
