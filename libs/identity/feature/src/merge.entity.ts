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
}
