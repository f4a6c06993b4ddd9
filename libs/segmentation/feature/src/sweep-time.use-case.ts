import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import { OutboxRelay } from '@kairos/persistence';
import { DAY_MS, dayOf, sweep } from '@kairos/segmentation/domain';
import { DataSource } from 'typeorm';
import { ComputedTraitsRepository } from './computed-traits.repository';
import { HotCopyService } from './hot-copy.service';
import { ProfileEvaluator } from './profile-evaluator';
import { SEGMENTATION_CONFIG, type SegmentationConfig } from './segmentation.config';
import { SegmentCatalog } from './segment-catalog.service';

export interface SweepResult {
  profiles: number;
  entered: number;
  exited: number;
}

/**
 * Time passing with no event: windows expire ("purchases in 30 days"), days-since grow ("no
 * order for 60 days"), ages change on birthdays, affinities decay. The facts are computed per
 * UTC day (domain time.ts), so a profile can only change through time alone once its last
 * evaluation is on an earlier day than the clock's: exactly those rows are visited, in batches
 * (one transaction each, rows locked with SKIP LOCKED so the sweep never waits on a consumer and
 * several replicas can sweep together). Each visited profile: `sweep` (drop buckets no window
 * sees any more, and counters no definition needs), re-evaluate, announce. The cause id is the
 * day (`sweep:<YYYY-MM-DD>`), so a re-run after a crash re-derives the same message ids.
 */
@Injectable()
export class SweepTimeUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
    private readonly traits: ComputedTraitsRepository,
    private readonly catalog: SegmentCatalog,
    private readonly evaluator: ProfileEvaluator,
    private readonly hotCopy: HotCopyService,
    @Inject(SEGMENTATION_CONFIG) private readonly config: SegmentationConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Sweep every profile that can have changed since its last evaluation. */
  async sweepAll(): Promise<SweepResult> {
    const total: SweepResult = { profiles: 0, entered: 0, exited: 0 };
    for (;;) {
      const batch = await this.sweepBatch();
      total.profiles += batch.profiles;
      total.entered += batch.entered;
      total.exited += batch.exited;
      if (batch.profiles < this.config.batchSize) return total;
    }
  }

  async sweepBatch(): Promise<SweepResult> {
    const now = this.clock.now();
    const startOfToday = new Date(dayOf(now.getTime()) * DAY_MS);
    const causeId = `sweep:${startOfToday.toISOString().slice(0, 10)}`;
    const result = await this.dataSource.transaction(async (manager) => {
      const { program } = await this.catalog.current(manager);
      const rows = await this.traits.lockStale(manager, startOfToday, this.config.batchSize);
      const out = {
        ...{ profiles: rows.length, entered: 0, exited: 0 },
        messages: 0,
        ids: [] as string[],
      };
      for (const stored of rows) {
        const change = await this.evaluator.apply(manager, program, {
          stored,
          traits: sweep(stored.traits, now.getTime(), { counters: program.counterPlan }),
          profile: stored.profile,
          profileVersion: stored.profileVersion,
          now,
          at: now,
          causeId,
        });
        out.entered += change.entered.length;
        out.exited += change.exited.length;
        out.messages += change.messages;
        out.ids.push(stored.profileId);
      }
      return out;
    });
    if (result.messages > 0) this.relay.kick();
    // Every visited row got a new version (windows in the hash moved on with the day).
    await this.hotCopy.refresh(...result.ids);
    return { profiles: result.profiles, entered: result.entered, exited: result.exited };
  }
}
