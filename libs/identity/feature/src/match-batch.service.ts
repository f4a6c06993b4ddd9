import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import { DataSource } from 'typeorm';
import { IdentityOutboxRelay } from './identity-outbox.relay';
import { ProbabilisticMatchingService } from './probabilistic-matching.service';
import { ProfileRepository } from './profile.repository';
import { withConflictRetry } from './transaction-retry';

export interface MatchBatchProgress {
  /** Profiles read so far. */
  profiles: number;
  merges: number;
  reviews: number;
  refused: number;
}

export interface MatchBatchOptions {
  /** Profiles per page (keyset paging by id). */
  pageSize?: number;
  /** Audit evidence of the batch's merges (default `match-batch:<start time>`). */
  runId?: string;
  onPage?: (progress: MatchBatchProgress) => void;
}

/**
 * Probabilistic matching over every profile, e.g. after the matching model or thresholds
 * changed, or to index profiles that existed before blocking keys did. Pages through profiles
 * by id; each profile is matched in its own short transaction with exactly the incremental
 * path (ProbabilisticMatchingService: its blocking keys are stored, candidates found by index,
 * the same decisions), so the batch can run while the service does. Each pair is met from
 * whichever side comes later in id order (the earlier side's keys are stored by then);
 * meeting it again is harmless (reviews are one open per pair, merged profiles are gone).
 */
@Injectable()
export class MatchBatchService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly profiles: ProfileRepository,
    private readonly matching: ProbabilisticMatchingService,
    private readonly relay: IdentityOutboxRelay,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async run(options: MatchBatchOptions = {}): Promise<MatchBatchProgress> {
    const pageSize = options.pageSize ?? 500;
    const runId = options.runId ?? `match-batch:${this.clock.now().toISOString()}`;
    const progress: MatchBatchProgress = { profiles: 0, merges: 0, reviews: 0, refused: 0 };
    let after: string | null = null;
    for (;;) {
      const page = await this.profiles.page(this.dataSource.manager, after, pageSize);
      if (page.length === 0) return progress;
      for (const profile of page) {
        const result = await withConflictRetry(`match-batch profile ${profile.id}`, () =>
          this.dataSource.transaction((manager) =>
            this.matching.matchProfile(manager, profile.id, runId, this.clock.now()),
          ),
        );
        progress.merges += result.merges.length;
        progress.reviews += result.reviews.length;
        progress.refused += result.refused;
      }
      progress.profiles += page.length;
      after = page[page.length - 1].id;
      this.relay.kick();
      options.onPage?.({ ...progress });
    }
  }
}
