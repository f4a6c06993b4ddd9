import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Audit of one merge: which profile survived, which one was folded into it, why, on which
 * evidence, and which identifiers moved — enough to reverse it later.
 */
@Entity({ name: 'merges' })
export class MergeEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'survivor_profile_id', type: 'uuid' })
  survivorProfileId!: string;

  @Column({ name: 'merged_profile_id', type: 'uuid' })
  mergedProfileId!: string;

  @Column({ type: 'text' })
  rule!: string;

  @Column({ name: 'evidence_event_id', type: 'text' })
  evidenceEventId!: string;

  /** The identifiers moved from the merged profile to the survivor: [{type, value}]. */
  @Column({ type: 'jsonb' })
  identifiers!: { type: string; value: string }[];

  @Column({ name: 'merged_at', type: 'timestamptz' })
  mergedAt!: Date;

  /** 'applied', or 'reverted' once an operator undid it (the row stays, as history). */
  @Column({ type: 'text', default: 'applied' })
  status!: MergeStatus;

  /** The survivor's version just before the merge, to tell which values the merge brought. */
  @Column({ name: 'survivor_version_before', type: 'integer', nullable: true })
  survivorVersionBefore!: number | null;

  @Column({ name: 'reverted_at', type: 'timestamptz', nullable: true })
  revertedAt!: Date | null;

  @Column({ name: 'revert_reason', type: 'text', nullable: true })
  revertReason!: string | null;
}

export type MergeStatus = 'applied' | 'reverted';
