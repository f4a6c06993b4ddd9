import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Audit of a link the guard rails refused: the evidence event would have merged
 * `otherProfileId` into `profileId` (or, with no other profile, added a new identifier to it)
 * against a rule of the merge policy. Nothing was changed; the event went to `profileId`.
 */
@Entity({ name: 'merge_refusals' })
export class MergeRefusalEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** The profile the evidence event was attributed to. */
  @Column({ name: 'profile_id', type: 'uuid' })
  profileId!: string;

  /** The profile that would have been merged; null when only a new identifier was refused. */
  @Column({ name: 'other_profile_id', type: 'uuid', nullable: true })
  otherProfileId!: string | null;

  /** The rule that refused it, e.g. "limit:user_id". */
  @Column({ type: 'text' })
  rule!: string;

  /** The event's identifiers that were not linked: [{type, value}]. */
  @Column({ type: 'jsonb' })
  identifiers!: { type: string; value: string }[];

  @Column({ name: 'evidence_event_id', type: 'text' })
  evidenceEventId!: string;

  @Column({ name: 'refused_at', type: 'timestamptz' })
  refusedAt!: Date;
}
