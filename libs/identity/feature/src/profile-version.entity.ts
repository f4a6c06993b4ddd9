import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Every version of every profile, as published. Deliberately without a foreign key to
 * profiles: the history of a profile merged away must outlive its row (merges are reversible).
 */
@Entity({ name: 'profile_versions' })
export class ProfileVersionEntity {
  @PrimaryColumn({ name: 'profile_id', type: 'uuid' })
  profileId!: string;

  @PrimaryColumn({ type: 'integer' })
  version!: number;

  /** The ProfileChanged payload of this version. */
  @Column({ type: 'jsonb' })
  snapshot!: Record<string, unknown>;

  /** Event time of each value held (ProfileState.fieldTimes); null for versions before it was kept. */
  @Column({ name: 'field_times', type: 'jsonb', nullable: true })
  fieldTimes!: Record<string, string> | null;

  @Column({ name: 'cause_event_id', type: 'text', nullable: true })
  causeEventId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
