// Offline evaluation of the recommender's models on the service's own data:
// `nx run recommender:evaluate -- [--out out/recommender-eval] [--cutoff 2026-03-01T00:00:00Z]
//  [--k 10] [--test-fraction 0.2] [--seed 7] [--min-items 3]`.
// Time-based holdout (train before the cut-off, test after; default cut-off 85 % into the data)
// and random per-user holdout; writes result.json and report.html to --out and a
// model_evaluations row, prints a table. The served model is not touched.
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@kairos/config';
import {
  EvaluateModelsUseCase,
  RecommenderJobsModule,
  loadRecommenderSettings,
} from '@kairos/recommender/feature';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const value = process.argv[i + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value`);
  return value;
}

function numberFlag(name: string): number | undefined {
  const raw = flag(name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${raw}`);
  return n;
}

async function main(): Promise<void> {
  const rawCutoff = flag('cutoff');
  const cutoff = rawCutoff === undefined ? undefined : new Date(rawCutoff);
  if (cutoff && Number.isNaN(cutoff.getTime()))
    throw new Error(`--cutoff must be an ISO date, got ${rawCutoff}`);
  const options = {
    outDir: flag('out') ?? 'out/recommender-eval',
    cutoff,
    k: numberFlag('k'),
    testFraction: numberFlag('test-fraction'),
    seed: numberFlag('seed'),
    minItems: numberFlag('min-items'),
  };
  const config = loadConfig('recommender');
  const app = await NestFactory.createApplicationContext(
    RecommenderJobsModule.register(config, loadRecommenderSettings()),
    { logger: ['error', 'warn'] },
  );
  try {
    const report = await app.get(EvaluateModelsUseCase).execute({
      ...options,
      onProgress: (message) => console.error(message),
    });
    console.log(
      `\nsplit   model            P@K     R@K     MAP@K   NDCG@K  coverage (K=${report.parameters.k as number})`,
    );
    for (const r of report.results) {
      for (const [model, m] of Object.entries(r.models)) {
        const cells = [m.precision, m.recall, m.map, m.ndcg, m.coverage]
          .map((x) => x.toFixed(4).padStart(7))
          .join(' ');
        console.log(`${r.split.padEnd(7)} ${model.padEnd(15)} ${cells}`);
      }
    }
    console.log(`\nevaluation ${report.id}: ${report.files.json}, ${report.files.html}`);
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error('evaluate failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
