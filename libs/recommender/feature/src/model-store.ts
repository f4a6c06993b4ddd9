import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { errorMessage } from '@kairos/messaging';
import { DataSource } from 'typeorm';
import { ModelRunRepository } from './model-run.repository';
import { RECOMMENDER_SETTINGS, type RecommenderSettings } from './recommender.config';
import { TrainingDataRepository } from './training-data.repository';
import { restoreModel, type ModelParameters, type TrainedModel } from './trained-model';

/**
 * The model the service recommends with, in memory. Empty until a training run succeeded; then
 * the newest servable run (loaded at start, swapped in by a training in this process, or picked
 * up by polling the registry when another process, e.g. the train command, trained one).
 *
 * While a training precomputes everyone's lists, `track` records which profiles were refreshed
 * by their own events meanwhile, so the trainer can refresh them again afterwards (its list for
 * them was computed without their newest events).
 */
@Injectable()
export class ModelStore implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger(ModelStore.name);
  private model: TrainedModel | undefined;
  private timer: NodeJS.Timeout | undefined;
  private loading: Promise<void> | undefined;
  private tracked: Set<string> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly runs: ModelRunRepository,
    private readonly data: TrainingDataRepository,
    @Inject(RECOMMENDER_SETTINGS) private readonly settings: RecommenderSettings,
  ) {}

  get current(): TrainedModel | undefined {
    return this.model;
  }

  async onModuleInit(): Promise<void> {
    await this.refreshFromRegistry();
    if (this.settings.modelPollMs > 0) {
      this.timer = setInterval(() => void this.refreshFromRegistry(), this.settings.modelPollMs);
      this.timer.unref();
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.loading;
  }

  /** Serve this model from now on (a training in this process just produced it). */
  swap(model: TrainedModel): void {
    this.model = model;
  }

  /** Load the newest servable run if it is not the one served (errors are logged, not thrown). */
  refreshFromRegistry(): Promise<void> {
    this.loading ??= this.loadNewest()
      .catch((error: unknown) =>
        this.log.warn(`loading the newest model failed: ${errorMessage(error)}`),
      )
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  private async loadNewest(): Promise<void> {
    const newest = await this.runs.latestServable();
    if (!newest || newest.runId === this.model?.runId) return;
    const artifact = await this.runs.artifact(newest.runId);
    if (!artifact) return;
    const parameters = artifact.parameters as unknown as ModelParameters;
    const manager = this.dataSource.manager;
    const [catalogNow, events] = await Promise.all([
      this.data.catalog(manager),
      this.data.interactions(manager, { until: artifact.referenceTime }),
    ]);
    const started = performance.now();
    this.model = restoreModel({
      runId: artifact.runId,
      referenceTime: artifact.referenceTime.getTime(),
      itemIds: artifact.itemIds,
      itemFactors: artifact.itemFactors,
      parameters: { ...parameters, als: { ...parameters.als, factors: artifact.factors } },
      catalogNow,
      events,
    });
    this.log.log(
      `serving model run ${artifact.runId} (${artifact.itemIds.length} items, restored in ${Math.round(performance.now() - started)} ms)`,
    );
  }

  /** Start recording refreshed profiles (see the class comment). */
  track(): void {
    this.tracked = new Set();
  }

  /** Stop recording; the profiles refreshed since {@link track}. */
  untrack(): string[] {
    const profiles = [...(this.tracked ?? [])];
    this.tracked = undefined;
    return profiles;
  }

  noteRefreshed(profileId: string): void {
    this.tracked?.add(profileId);
  }
}
