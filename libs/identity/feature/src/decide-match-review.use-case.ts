import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import { DataSource, type EntityManager } from 'typeorm';
import { IdentityErrorCode, IdentityException } from './identity.exception';
import { IdentityOutboxRelay } from './identity-outbox.relay';
import { MatchReviewRepository } from './match-review.repository';
import type { MatchReviewEntity } from './match-review.entity';
import { MergeRepository } from './merge.repository';
import { PROBABILISTIC_RULE } from './probabilistic-matching.service';
import { ProfileMergeService } from './profile-merge.service';
import { withConflictRetry } from './transaction-retry';

/** Merges are followed this far from a reviewed profile to the profile that holds it now. */
const MAX_MERGE_CHAIN = 20;

export type ReviewDecisionResult =
  | {
      reviewId: string;
      status: 'merged';
      mergeId: string | null;
      survivorProfileId: string;
      mergedProfileId: string | null;
    }
  | { reviewId: string; status: 'rejected' };

/**
 * An operator's decision on an open match review, in one transaction with the review row locked
 * (two operators cannot both decide it):
 * - merge: the two profiles — or, when one was merged away since, the profiles now holding
 *   them — are merged through ProfileMergeService with rule 'probabilistic' and evidence
 *   `match-review:<id>` (guard rails, audit, ProfilesMerged, versions: the same path as any
 *   merge). Already one profile: the review is simply closed. Refused by the guard rails: the
 *   refusal is audited, the review stays open, and the caller gets a MergeRefused error.
 * - reject: the review is closed as rejected; matching never re-opens the pair on the same
 *   evidence and never merges it automatically (see pairAction).
 */
@Injectable()
export class DecideMatchReviewUseCase {
  private readonly log = new Logger(DecideMatchReviewUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly reviews: MatchReviewRepository,
    private readonly merges: MergeRepository,
    private readonly merger: ProfileMergeService,
    private readonly relay: IdentityOutboxRelay,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async merge(reviewId: string): Promise<ReviewDecisionResult> {
    const outcome = await withConflictRetry(`match review ${reviewId}`, () =>
      this.dataSource.transaction(async (manager) => {
        const review = await this.openReview(manager, reviewId);
        const now = this.clock.now();
        const a = await this.holderOf(manager, review.profileA);
        const b = await this.holderOf(manager, review.profileB);
        if (a === b) {
          await this.reviews.decide(manager, review.id, 'merged', now);
          return { kind: 'done' as const, result: alreadyOne(review.id, a) };
        }
        const merged = await this.merger.mergePair(manager, a, b, {
          rule: PROBABILISTIC_RULE,
          evidenceEventId: `match-review:${review.id}`,
          now,
        });
        switch (merged.outcome) {
          case 'merged':
            await this.reviews.decide(manager, review.id, 'merged', now);
            return {
              kind: 'done' as const,
              result: {
                reviewId: review.id,
                status: 'merged' as const,
                mergeId: merged.mergeId,
                survivorProfileId: merged.survivorId,
                mergedProfileId: merged.mergedId,
              },
            };
          case 'refused':
            // Committed: the refusal is part of the audit trail.
            return { kind: 'refused' as const, rule: merged.rule };
          case 'gone':
          case 'unconfirmed':
            throw new Error(`profiles of review ${review.id} changed under lock`);
        }
      }),
    );
    if (outcome.kind === 'refused') {
      throw new IdentityException(
        IdentityErrorCode.MergeRefused,
        `review ${reviewId}: the merge policy refuses merging these profiles (${outcome.rule}); reject the review instead`,
      );
    }
    this.relay.kick();
    this.log.log(`match review ${reviewId} merged`);
    return outcome.result;
  }

  async reject(reviewId: string): Promise<ReviewDecisionResult> {
    await this.dataSource.transaction(async (manager) => {
      const review = await this.openReview(manager, reviewId);
      await this.reviews.decide(manager, review.id, 'rejected', this.clock.now());
    });
    this.log.log(`match review ${reviewId} rejected`);
    return { reviewId, status: 'rejected' };
  }

  private async openReview(manager: EntityManager, reviewId: string): Promise<MatchReviewEntity> {
    const review = await this.reviews.lock(manager, reviewId);
    if (!review)
      throw new IdentityException(
        IdentityErrorCode.ReviewNotFound,
        `match review ${reviewId} does not exist`,
      );
    if (review.status !== 'open')
      throw new IdentityException(
        IdentityErrorCode.ReviewDecided,
        `match review ${reviewId} was already decided (${review.status})`,
      );
    return review;
  }

  /** The profile that holds `profileId` now: itself, or what it was merged into (transitively). */
  private async holderOf(manager: EntityManager, profileId: string): Promise<string> {
    let id = profileId;
    for (let n = 0; n < MAX_MERGE_CHAIN; n++) {
      const merge = await this.merges.appliedMergeOf(manager, id);
      if (!merge) return id;
      id = merge.survivorProfileId;
    }
    throw new Error(`profile ${profileId}: merge chain longer than ${MAX_MERGE_CHAIN}`);
  }
}

function alreadyOne(reviewId: string, profileId: string): ReviewDecisionResult {
  return {
    reviewId,
    status: 'merged',
    mergeId: null,
    survivorProfileId: profileId,
    mergedProfileId: null,
  };
}
