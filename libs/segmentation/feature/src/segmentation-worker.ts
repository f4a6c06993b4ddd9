import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import { RunSegmentJobsUseCase } from './run-segment-jobs.use-case';
import { SEGMENTATION_CONFIG, type SegmentationConfig } from './segmentation.config';
import { SweepTimeUseCase } from './sweep-time.use-case';

/**
 * The background loop: every KAIROS_SEGMENTATION_POLL_MS (real time) it runs owed definition
 * jobs, and sweeps when KAIROS_SEGMENTATION_SWEEP_INTERVAL_MS of CLOCK time has passed since
 * the last sweep (so a controllable clock moved forward by days sweeps on the next poll). A
 * sweep runs at start too: whatever the process missed while down is caught up. Failures are
 * logged and retried on the next poll; the loop never dies. `kick()` runs it soon (after an
 * admin write) without waiting for the poll.
 */
@Injectable()
export class SegmentationWorker {
  private readonly logger = new Logger(SegmentationWorker.name);
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private again = false;
  private lastSweepAt: number | undefined;

  constructor(
    private readonly jobs: RunSegmentJobsUseCase,
    private readonly sweeper: SweepTimeUseCase,
    @Inject(SEGMENTATION_CONFIG) private readonly config: SegmentationConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  kick(): void {
    if (!this.running) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.schedule(0);
  }

  /** Stop; resolves when a batch in flight has committed or rolled back. */
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
        if (!this.running) return;
        const delay = this.again ? 0 : this.config.pollIntervalMs;
        this.again = false;
        this.schedule(delay);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (!this.running) return;
    try {
      await this.jobs.runPending();
    } catch (error) {
      this.logger.error(`segment jobs failed: ${describe(error)}`);
    }
    const now = this.clock.now().getTime();
    if (this.lastSweepAt !== undefined && now - this.lastSweepAt < this.config.sweepIntervalMs)
      return;
    try {
      const result = await this.sweeper.sweepAll();
      this.lastSweepAt = now;
      if (result.profiles > 0)
        this.logger.log(
          `sweep: ${result.profiles} profile(s), ${result.entered} entered, ${result.exited} exited`,
        );
    } catch (error) {
      this.logger.error(`sweep failed: ${describe(error)}`);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
