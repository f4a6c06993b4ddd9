// Trains the recommender's models once: `nx run recommender:train`. Reads the service's own
// Postgres schema, writes the registry row, the item factors and every trained profile's top N
// to Redis; a running service picks the model up from the registry (KAIROS_RECOMMENDER_MODEL_POLL_MS).
// Progress goes to stderr as one line rewritten in place; the registry row is printed as JSON on
// stdout. Exits 1 when the run failed, 2 when another run holds the training lock.
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@kairos/config';
import {
  RecommenderJobsModule,
  TrainModelsUseCase,
  loadRecommenderSettings,
  renderProgressLine,
  type TrainingProgress,
} from '@kairos/recommender/feature';

async function main(): Promise<number> {
  const config = loadConfig('recommender');
  const settings = loadRecommenderSettings();
  const app = await NestFactory.createApplicationContext(
    RecommenderJobsModule.register(config, settings),
    { logger: ['error', 'warn'] },
  );
  try {
    let phase: TrainingProgress['phase'] | undefined;
    const onProgress = (progress: TrainingProgress) => {
      // A finished phase keeps its line; the next one starts a new line.
      if (phase !== undefined && progress.phase !== phase) process.stderr.write('\n');
      phase = progress.phase;
      process.stderr.write(`\r${renderProgressLine(progress)}`);
    };
    const run = await app.get(TrainModelsUseCase).execute({ trigger: 'cli', onProgress });
    if (phase !== undefined) process.stderr.write('\n');
    if (!run) {
      console.error('another training run is in progress (it holds the training lock)');
      return 2;
    }
    console.log(JSON.stringify(run, null, 2));
    if (run.status !== 'succeeded') console.error(`training failed: ${run.error ?? 'unknown'}`);
    return run.status === 'succeeded' ? 0 : 1;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('train failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
