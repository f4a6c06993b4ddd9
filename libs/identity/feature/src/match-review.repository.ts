import { Injectable } from '@nestjs/common';
import { dataSourceSchema, qualifiedTable } from '@kairos/persistence';
import type { EntityManager } from 'typeorm';
import type { ComparisonSummary } from './domain/profile-matching';
import { MatchReviewEntity, type MatchReviewStatus } from './match-review.entity';

/** The match review queue; every method runs in the caller's transaction (or manager). */
@Injectable()
export class MatchReviewRepository {
  /**
   * Open a review for the ordered pair, or refresh the open one's score and comparisons (one
   * open review per pair: the partial unique index). Returns the review id and whether it is new.
   */
  async upsertOpen(
    manager: EntityManager,
    review: {
      id: string;
      profileA: string;
      profileB: string;
      score: number;
      comparisons: ComparisonSummary;
      at: Date;
    },
  ): Promise<{ id: string; created: boolean }> {
    const rows = await manager.query<{ id: string; created: boolean }[]>(
      `INSERT INTO ${table(manager)} (id, profile_a, profile_b, score, comparisons, status, created_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, 'open', $6)
       ON CONFLICT (profile_a, profile_b) WHERE status = 'open'
       DO UPDATE SET score = EXCLUDED.score, comparisons = EXCLUDED.comparisons
       RETURNING id, (xmax = 0) AS created`,
      [
        review.id,
        review.profileA,
        review.profileB,
        review.score,
        JSON.stringify(review.comparisons),
        review.at,
      ],
    );
    return rows[0];
  }

  /** Record an operator's "not the same person" that had no open review (an unmerge). */
  async insertRejected(
    manager: EntityManager,
    review: {
      id: string;
      profileA: string;
      profileB: string;
      score: number;
      comparisons: ComparisonSummary;
      at: Date;
    },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO ${table(manager)} (id, profile_a, profile_b, score, comparisons, status, created_at, decided_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, 'rejected', $6, $6)`,
      [
        review.id,
        review.profileA,
        review.profileB,
        review.score,
        JSON.stringify(review.comparisons),
        review.at,
      ],
    );
  }

  /** The comparisons of the pair's rejected reviews (the evidence operators already turned down). */
  async rejectedEvidence(
    manager: EntityManager,
    profileA: string,
    profileB: string,
  ): Promise<ComparisonSummary[]> {
    const rows = await manager.query<{ comparisons: ComparisonSummary }[]>(
      `SELECT comparisons FROM ${table(manager)}
       WHERE profile_a = $1 AND profile_b = $2 AND status = 'rejected'`,
      [profileA, profileB],
    );
    return rows.map((r) => r.comparisons);
  }

  /** Close the pair's open review, if any, e.g. as merged when the pair merged automatically. */
  async closeOpen(
    manager: EntityManager,
    profileA: string,
    profileB: string,
    status: Exclude<MatchReviewStatus, 'open'>,
    at: Date,
  ): Promise<void> {
    await manager.query(
      `UPDATE ${table(manager)} SET status = $3, decided_at = $4
       WHERE profile_a = $1 AND profile_b = $2 AND status = 'open'`,
      [profileA, profileB, status, at],
    );
  }

  /** One review, locked FOR UPDATE (two operators cannot both decide it). */
  async lock(manager: EntityManager, id: string): Promise<MatchReviewEntity | null> {
    return manager
      .getRepository(MatchReviewEntity)
      .createQueryBuilder('r')
      .where('r.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
  }

  async decide(
    manager: EntityManager,
    id: string,
    status: MatchReviewStatus,
    at: Date,
  ): Promise<void> {
    await manager.update(MatchReviewEntity, { id }, { status, decidedAt: at });
  }

  /** Reviews with a status, oldest first (the queue order). */
  async list(
    manager: EntityManager,
    status: MatchReviewStatus,
    limit: number,
  ): Promise<MatchReviewEntity[]> {
    return manager
      .getRepository(MatchReviewEntity)
      .find({ where: { status }, order: { createdAt: 'ASC', id: 'ASC' }, take: limit });
  }
}

function table(manager: EntityManager): string {
  return qualifiedTable(dataSourceSchema(manager.connection), 'match_reviews');
}
