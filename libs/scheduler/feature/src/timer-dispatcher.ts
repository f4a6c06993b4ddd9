import { Inject, Injectable, Logger } from '@nestjs/common';
import { FireDueTimersUseCase } from './fire-due-timers.use-case';
import { SCHEDULER_CONFIG, type SchedulerConfig } from './scheduler.config';

/**
 * The loop that fires due timers: polls every KAIROS_SCHEDULER_POLL_MS (time itself comes from
 * the injected Clock inside the use case, so a controllable clock moved forward is noticed on
 * the next poll). A full batch means more may be due, so it goes on at once. Failures are logged
 * and retried on the next poll; the loop never dies. Safe with several replicas (SKIP LOCKED).
 */
@Injectable()
export class TimerDispatcher {
  private readonly logger = new Logger(TimerDispatcher.name);
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly fireDueTimers: FireDueTimersUseCase,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stop polling; resolves when a batch in flight has committed or rolled back. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.inFlight = this.tick().finally(() => {
        this.inFlight = undefined;
      });
    }, delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (!this.running) return;
    let delay = this.config.pollIntervalMs;
    try {
      const { fired, suppressed, deferred, claimed } = await this.fireDueTimers.fireBatch();
      if (claimed > 0)
        this.logger.log(`fired ${fired} timer(s), suppressed ${suppressed}, deferred ${deferred}`);
      if (claimed >= this.config.fireBatchSize) delay = 0;
    } catch (error) {
      this.logger.error(
        `firing due timers failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      );
    }
    if (this.running) this.schedule(delay);
  }
}
