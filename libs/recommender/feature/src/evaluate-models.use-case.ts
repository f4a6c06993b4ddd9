import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import {
  buildCatalog,
  evaluateSplit,
  randomUserHoldout,
  renderHtmlReport,
  timeHoldout,
  type EvaluationConfig,
  type EvaluationResult,
} from '@kairos/recommender/domain';
import { DataSource } from 'typeorm';
import { ModelRunRepository } from './model-run.repository';
import { RECOMMENDER_SETTINGS, type RecommenderSettings } from './recommender.config';
import { TRAINING_WEIGHTS } from './trained-model';
import { TrainingDataRepository } from './training-data.repository';

export interface EvaluateOptions {
  /** Folder for result.json and report.html (created if missing). */
  outDir: string;
  /** Time holdout: train before, test at or after. Default: 85 % into the recorded span. */
  cutoff?: Date;
  /** K of the @K metrics (default 10). */
  k?: number;
  /** Random holdout: share of each person's items held out (default 0.2), seeded. */
  testFraction?: number;
  seed?: number;
  /** Random holdout: only people with at least this many distinct items (default 3). */
  minItems?: number;
  onProgress?: (message: string) => void;
}

export interface EvaluationReport {
  id: string;
  createdAt: string;
  parameters: Record<string, unknown>;
  results: EvaluationResult[];
  outDir: string;
  files: { json: string; html: string };
}

/**
 * Offline evaluation on the service's own data: a time-based holdout and a random per-user
 * holdout, each model (ALS, content, popularity, hybrid, hybrid with a category cap) trained on
 * the training part with the service's settings and scored on discovery (@K metrics). Writes
 * result.json and report.html and a `model_evaluations` row. Serves nothing: the live model is
 * untouched.
 */
@Injectable()
export class EvaluateModelsUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly data: TrainingDataRepository,
    private readonly runs: ModelRunRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RECOMMENDER_SETTINGS) private readonly settings: RecommenderSettings,
  ) {}

  async execute(options: EvaluateOptions): Promise<EvaluationReport> {
    const say = options.onProgress ?? (() => undefined);
    const manager = this.dataSource.manager;
    const rows = await this.data.catalog(manager);
    const log = await this.data.interactions(manager, {
      onBatch: (n) => say(`loaded ${n} events`),
    });
    const span = log.span();
    if (!span || rows.length === 0)
      throw new Error(`nothing to evaluate: ${log.size} events, ${rows.length} products`);
    const events = [...log];
    const cutoff =
      options.cutoff?.getTime() ?? Math.round(span.first + 0.85 * (span.last - span.first));
    const k = options.k ?? 10;
    const testFraction = options.testFraction ?? 0.2;
    const seed = options.seed ?? 7;
    const minItems = options.minItems ?? 3;

    const catalog = buildCatalog(
      rows.map((r) => ({ id: r.productId, category: r.category, available: r.available })),
    );
    const config: EvaluationConfig = {
      k,
      als: this.settings.als,
      threads: this.settings.alsThreads,
      weights: TRAINING_WEIGHTS,
      interactionHalfLifeMs: this.settings.interactionHalfLifeMs,
      trendingHalfLifeMs: this.settings.trendingHalfLifeMs,
      diversityCap: 3,
    };
    const splits = [
      timeHoldout(events, cutoff),
      randomUserHoldout(events, { testFraction, seed, minItems }),
    ];
    const results: EvaluationResult[] = [];
    for (const split of splits) {
      say(`evaluating the ${split.name} split (${split.train.length} training events)`);
      results.push(await evaluateSplit(split, catalog, rows, config));
    }

    const id = randomUUID();
    const createdAt = this.clock.now();
    const parameters = {
      cutoff: new Date(cutoff).toISOString(),
      k,
      testFraction,
      seed,
      minItems,
      events: events.length,
      products: rows.length,
      als: config.als,
      alsThreads: config.threads,
      weights: config.weights,
      interactionHalfLifeMs: config.interactionHalfLifeMs,
      trendingHalfLifeMs: config.trendingHalfLifeMs,
      diversityCap: config.diversityCap,
    };
    const outDir = resolve(options.outDir);
    await mkdir(outDir, { recursive: true });
    const files = { json: join(outDir, 'result.json'), html: join(outDir, 'report.html') };
    const report: EvaluationReport = {
      id,
      createdAt: createdAt.toISOString(),
      parameters,
      results,
      outDir,
      files,
    };
    await writeFile(files.json, `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(
      files.html,
      renderHtmlReport(results, `Recommender evaluation ${createdAt.toISOString()}`),
    );
    await this.runs.saveEvaluation({ id, createdAt, parameters, results, outputDir: outDir });
    return report;
  }
}
