import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import { errorMessage } from '@kairos/messaging';
import { ModelRunRepository } from './model-run.repository';
import { RECOMMENDER_SETTINGS, type RecommenderSettings } from './recommender.config';
import { TrainModelsUseCase } from './train-models.use-case';

/**
 * Trains every `trainIntervalMs` (KAIROS_RECOMMENDER_TRAIN_INTERVAL_MS; 0 = off), counted from
 * the newest run in the registry, so a restart does not retrain early and a service that was
 * down past its slot trains right after starting. With several instances the training lock
 * lets one train; the others skip that slot and pick the model up from the registry.
 */
@Injectable()
export class TrainingScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(TrainingScheduler.name);
  private timer: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly train: TrainModelsUseCase,
    private readonly runs: ModelRunRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RECOMMENDER_SETTINGS) private readonly settings: RecommenderSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.settings.trainIntervalMs <= 0) return;
    const last = await this.runs.lastStartedAt().catch(() => undefined);
    const due = last ? last.getTime() + this.settings.trainIntervalMs : 0;
    this.schedule(Math.max(0, due - this.clock.now().getTime()));
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.abort.abort();
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.abort.signal.aborted) return;
    // setTimeout holds at most ~24.8 days; longer intervals re-check at that point.
    this.timer = setTimeout(() => this.fire(), Math.min(delayMs, 2 ** 31 - 1));
    this.timer.unref();
  }

  private fire(): void {
    this.running = this.train
      .execute({ trigger: 'schedule', signal: this.abort.signal })
      .then((run) => {
        if (!run) this.log.log('scheduled training skipped: another run holds the lock');
      })
      .catch((error: unknown) =>
        this.log.error(`scheduled training failed: ${errorMessage(error)}`),
      )
      .finally(() => {
        this.running = undefined;
        this.schedule(this.settings.trainIntervalMs);
      });
  }
}
