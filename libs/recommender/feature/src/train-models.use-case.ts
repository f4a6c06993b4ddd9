import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import { errorMessage } from '@kairos/messaging';
import { DataSource } from 'typeorm';
import { HotRecommendationsRepository } from './hot-recommendations.repository';
import { ModelRunRepository, type ModelRun } from './model-run.repository';
import { ModelStore } from './model-store';
import { RECOMMENDER_SETTINGS, type RecommenderSettings } from './recommender.config';
import { RefreshRecommendationsService } from './refresh-recommendations.service';
import { TrainingDataRepository } from './training-data.repository';
import { TRAINING_WEIGHTS, trainModels, type ModelParameters } from './trained-model';

export type TrainingTrigger = 'schedule' | 'admin' | 'cli';

export type TrainingPhase = 'load' | 'als' | 'content' | 'popularity' | 'persist' | 'precompute';

/** Progress of a run; `total` is unknown while loading. */
export interface TrainingProgress {
  phase: TrainingPhase;
  done: number;
  total?: number;
}

export interface TrainOptions {
  trigger: TrainingTrigger;
  onProgress?: (progress: TrainingProgress) => void;
  /** Aborting ends the run as failed at the next step boundary (e.g. on shutdown). */
  signal?: AbortSignal;
}

export interface LaunchedRun {
  runId: string;
  /** Resolves with the final registry row (succeeded or failed); never rejects for a model failure. */
  done: Promise<ModelRun>;
}

/** Profiles per Redis pipeline while precomputing; the event loop gets a turn between batches. */
const PRECOMPUTE_BATCH = 500;

/**
 * Train the models on everything recorded up to the Clock's now, register the run, keep the
 * model for fold-ins (in memory, and its item factors in Postgres for a restart), and write every
 * trained profile's top N to Redis with score and reason.
 *
 * Order matters for what readers see: the factors are committed before the model is served, and
 * the model is served before the precompute, so a profile's own events during the precompute
 * already fold in against the new model; those profiles are refreshed again at the end because
 * the precompute may have overwritten their list with one computed without their newest events.
 * A run that finds no users or no products fails instead of replacing everyone's list with
 * nothing.
 */
@Injectable()
export class TrainModelsUseCase {
  private readonly log = new Logger(TrainModelsUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly data: TrainingDataRepository,
    private readonly runs: ModelRunRepository,
    private readonly hot: HotRecommendationsRepository,
    private readonly models: ModelStore,
    private readonly refresher: RefreshRecommendationsService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RECOMMENDER_SETTINGS) private readonly settings: RecommenderSettings,
  ) {}

  /** Train and wait; undefined when another run holds the training lock. */
  async execute(options: TrainOptions): Promise<ModelRun | undefined> {
    const launched = await this.launch(options);
    return launched?.done;
  }

  /**
   * Start a run and resolve as soon as its registry row exists (the run goes on in the
   * background); undefined when another run holds the training lock.
   */
  async launch(options: TrainOptions): Promise<LaunchedRun | undefined> {
    const runId = randomUUID();
    let markStarted: (started: boolean) => void = () => undefined;
    const started = new Promise<boolean>((resolve) => (markStarted = resolve));
    const locked = this.runs
      .withTrainingLock(() => this.run(runId, options, () => markStarted(true)))
      .finally(() => markStarted(false));
    if (!(await started)) {
      await locked; // rethrows a failure before the run started (e.g. Postgres unreachable)
      return undefined;
    }
    return { runId, done: locked.then((result) => result!.value) };
  }

  parameters(): ModelParameters {
    const s = this.settings;
    return {
      als: s.als,
      alsThreads: s.alsThreads,
      alsMinNnzForThreads: s.alsMinNnzForThreads,
      interactionHalfLifeMs: s.interactionHalfLifeMs,
      trendingHalfLifeMs: s.trendingHalfLifeMs,
    };
  }

  private async run(
    runId: string,
    options: TrainOptions,
    onStarted: () => void,
  ): Promise<ModelRun> {
    const t0 = performance.now();
    const referenceTime = this.clock.now();
    const parameters = this.parameters();
    await this.runs.start({
      id: runId,
      trigger: options.trigger,
      startedAt: referenceTime,
      referenceTime,
      parameters: { ...parameters, weights: TRAINING_WEIGHTS, topN: this.settings.topN },
    });
    onStarted();
    const progress = (p: TrainingProgress) => {
      if (options.signal?.aborted) throw new Error('aborted');
      options.onProgress?.(p);
    };
    try {
      const manager = this.dataSource.manager;
      progress({ phase: 'load', done: 0 });
      const catalog = await this.data.catalog(manager);
      const events = await this.data.interactions(manager, {
        until: referenceTime,
        onBatch: (done) => progress({ phase: 'load', done }),
      });
      const trained = await trainModels({
        runId,
        referenceTime: referenceTime.getTime(),
        catalog,
        events,
        parameters,
        onProgress: (phase, done, total) => progress({ phase, done, total }),
      });
      const { stats, model } = trained;
      if (stats.users === 0 || stats.items === 0) {
        throw new Error(
          `nothing to train on: ${stats.users} profiles with interactions, ${stats.items} products`,
        );
      }

      progress({ phase: 'persist', done: 0, total: 1 });
      await this.dataSource.transaction((m) =>
        this.runs.saveArtifact(m, {
          runId,
          factors: parameters.als.factors,
          itemIds: model.catalog.items.ids(),
          itemFactors: model.als.itemFactors,
          alsConfig: parameters.als,
          users: stats.users,
          items: stats.items,
          nnz: stats.nnz,
        }),
      );
      progress({ phase: 'persist', done: 1, total: 1 });

      this.models.swap(model);
      this.models.track();
      const p0 = performance.now();
      const total = trained.users.size;
      let written = 0;
      try {
        for (let start = 0; start < total; start += PRECOMPUTE_BATCH) {
          const batch = [];
          for (let u = start; u < Math.min(total, start + PRECOMPUTE_BATCH); u++) {
            batch.push({
              profileId: trained.users.idAt(u),
              recommendations: model.recommendTrained(trained, u, this.settings.topN),
            });
          }
          await this.hot.writeMany(batch);
          written += batch.length;
          progress({ phase: 'precompute', done: written, total });
          await yieldToEventLoop();
        }
      } finally {
        for (const profileId of this.models.untrack()) {
          await this.refresher.refresh(profileId).catch((error: unknown) => {
            this.log.warn(`re-refreshing ${profileId} failed: ${errorMessage(error)}`);
          });
        }
      }
      const precomputeMs = performance.now() - p0;

      const finalLoss = stats.losses.at(-1);
      await this.runs.succeed(runId, this.clock.now(), performance.now() - t0, {
        events: stats.events,
        alsThreads: stats.alsThreads,
        alsLoss: finalLoss ?? null,
        alsLosses: stats.losses,
        timingsMs: { ...roundAll(stats.timingsMs), precompute: Math.round(precomputeMs) },
        profilesWritten: written,
      });
      this.log.log(
        `model run ${runId} succeeded: ${stats.users} profiles, ${stats.items} products, ${stats.nnz} pairs`,
      );
    } catch (error) {
      await this.runs.fail(runId, this.clock.now(), performance.now() - t0, errorMessage(error));
      this.log.error(`model run ${runId} failed: ${errorMessage(error)}`);
    }
    const run = await this.runs.get(runId);
    if (!run) throw new Error(`model run ${runId} vanished from the registry`);
    return run;
  }
}

function roundAll<T extends Record<string, number>>(values: T): Record<keyof T, number> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Math.round(v)])) as Record<
    keyof T,
    number
  >;
}
