import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BlockingKeyRepository } from './blocking-key.repository';
import { matchPair } from './domain/matching';
import {
  orderedPair,
  pairAction,
  profileBlockingKeys,
  profileMatchRecord,
  summarizeComparison,
  type PairAction,
} from './domain/profile-matching';
import { IDENTITY_SETTINGS, type IdentitySettings } from './identity.config';
import { MatchReviewRepository } from './match-review.repository';
import { ProfileMergeService } from './profile-merge.service';
import { ProfileRepository } from './profile.repository';
import type { Profile } from './profile-snapshot';

/** The audit rule of a merge probabilistic matching made (or an operator accepted). */
export const PROBABILISTIC_RULE = 'probabilistic';

/**
 * A profile merged probabilistically is re-scored as the survivor (its fields changed), which
 * can merge again; this bounds the chain within one run (the next change or batch continues).
 */
const MAX_MERGES_PER_RUN = 5;

export interface MatchRunResult {
  /** The profile the run ended on (the survivor, if the profile was merged into another). */
  profileId: string;
  merges: { mergeId: string; survivorId: string; mergedId: string }[];
  /** Reviews opened or refreshed. */
  reviews: string[];
  refused: number;
}

interface Scored {
  candidate: Profile;
  score: number;
  action: PairAction;
  summary: ReturnType<typeof summarizeComparison>;
}

/**
 * Probabilistic matching of one profile against the profiles sharing a blocking key with it,
 * in the caller's transaction:
 *
 *   store the profile's blocking keys → find candidates by index look-up → score each pair
 *   (Fellegi-Sunter) → with operators' earlier rejections of the pair, decide (pairAction) →
 *   merge the best 'merge' pair through ProfileMergeService (rule 'probabilistic'; re-scored
 *   under lock; guard rails apply) and start over from the survivor → when nothing is left to
 *   merge, open (or refresh) one review per 'review' pair.
 *
 * Name weights are not term-frequency adjusted here (no name-frequency table yet): the bench
 * (`--tf off`) keeps auto-merge precision above 99% at the same thresholds.
 */
@Injectable()
export class ProbabilisticMatchingService {
  private readonly log = new Logger(ProbabilisticMatchingService.name);

  constructor(
    private readonly profiles: ProfileRepository,
    private readonly blockingKeys: BlockingKeyRepository,
    private readonly reviews: MatchReviewRepository,
    private readonly merger: ProfileMergeService,
    @Inject(IDENTITY_SETTINGS) private readonly settings: IdentitySettings,
  ) {}

  async matchProfile(
    manager: EntityManager,
    profileId: string,
    evidenceEventId: string,
    now: Date,
  ): Promise<MatchRunResult> {
    const result: MatchRunResult = { profileId, merges: [], reviews: [], refused: 0 };
    const excluded = new Set<string>();
    for (let round = 0; ; round++) {
      const [profile] = await this.profiles.findMany(manager, [result.profileId]);
      if (!profile) return result;
      const keys = profileBlockingKeys(profile.id, profile.state);
      await this.blockingKeys.replace(manager, profile.id, keys);
      const candidateIds = await this.blockingKeys.candidates(manager, profile.id, keys);
      const candidates = await this.profiles.findMany(manager, candidateIds);
      const scored: Scored[] = [];
      for (const candidate of candidates) {
        if (excluded.has(candidate.id)) continue;
        const s = await this.score(manager, profile, candidate);
        if (s.action !== 'none') scored.push(s);
      }
      scored.sort((p, q) => q.score - p.score || (p.candidate.id < q.candidate.id ? -1 : 1));

      const toMerge =
        round < MAX_MERGES_PER_RUN ? scored.find((s) => s.action === 'merge') : undefined;
      if (toMerge) {
        const merged = await this.merger.mergePair(
          manager,
          profile.id,
          toMerge.candidate.id,
          { rule: PROBABILISTIC_RULE, evidenceEventId, now },
          (a, b) => this.decision(a, b) === 'match',
        );
        if (merged.outcome === 'merged') {
          const [pa, pb] = orderedPair(profile.id, toMerge.candidate.id);
          await this.reviews.closeOpen(manager, pa, pb, 'merged', now);
          result.merges.push(merged);
          result.profileId = merged.survivorId;
        } else {
          if (merged.outcome === 'refused') result.refused++;
          excluded.add(toMerge.candidate.id);
        }
        continue;
      }

      for (const s of scored.filter((x) => x.action === 'review')) {
        const [profileA, profileB] = orderedPair(profile.id, s.candidate.id);
        const review = await this.reviews.upsertOpen(manager, {
          id: randomUUID(),
          profileA,
          profileB,
          score: s.score,
          comparisons: s.summary,
          at: now,
        });
        result.reviews.push(review.id);
        if (review.created)
          this.log.log(`match review ${review.id} opened for profiles ${profileA} and ${profileB}`);
      }
      return result;
    }
  }

  private async score(
    manager: EntityManager,
    profile: Profile,
    candidate: Profile,
  ): Promise<Scored> {
    const scored = this.scorePair(profile, candidate);
    const summary = summarizeComparison(scored);
    let action: PairAction = 'none';
    if (scored.decision !== 'non-match') {
      const [a, b] = orderedPair(profile.id, candidate.id);
      const rejected = await this.reviews.rejectedEvidence(manager, a, b);
      action = pairAction(scored.decision, summary, rejected);
    }
    return { candidate, score: scored.score, action, summary };
  }

  private scorePair(a: Profile, b: Profile) {
    // Canonical order: a pair scores the same whichever side triggered the run.
    const [first, second] = a.id < b.id ? [a, b] : [b, a];
    return matchPair(
      profileMatchRecord(first.id, first.state),
      profileMatchRecord(second.id, second.state),
      { thresholds: this.settings.matchThresholds },
    );
  }

  private decision(a: Profile, b: Profile) {
    return this.scorePair(a, b).decision;
  }

  /** The pair's score and per-field summary now (for the audit of an unmerge). */
  summarize(a: Profile, b: Profile) {
    const scored = this.scorePair(a, b);
    return { score: scored.score, comparisons: summarizeComparison(scored) };
  }
}
