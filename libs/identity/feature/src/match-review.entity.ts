import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ComparisonSummary } from './domain/profile-matching';

export type MatchReviewStatus = 'open' | 'merged' | 'rejected';

/**
 * A pair of profiles probabilistic matching found possibly (not surely) the same person, for an
 * operator to merge or reject. `profileA < profileB`; at most one open review per pair. A
 * rejected review (also written by an unmerge) keeps the pair from being merged automatically.
 */
@Entity({ name: 'match_reviews' })
export class MatchReviewEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'profile_a', type: 'uuid' })
  profileA!: string;

  @Column({ name: 'profile_b', type: 'uuid' })
  profileB!: string;

  /** The Fellegi-Sunter match weight when the review was last (re)scored. */
  @Column({ type: 'double precision' })
  score!: number;

  /** Per field: agreement level and weight; no raw values. */
  @Column({ type: 'jsonb' })
  comparisons!: ComparisonSummary;

  @Column({ type: 'text', default: 'open' })
  status!: MatchReviewStatus;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;
}
