import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Tombstone of a merged-away profile: its late events are applied to `survivorId`. */
@Entity({ name: 'merged_profiles' })
export class MergedProfileEntity {
  @PrimaryColumn({ name: 'profile_id', type: 'uuid' })
  profileId!: string;

  /** Always the current survivor (re-pointed when the survivor is merged away in turn). */
  @Column({ name: 'survivor_id', type: 'uuid' })
  survivorId!: string;

  @Column({ name: 'merge_id', type: 'uuid' })
  mergeId!: string;

  @Column({ name: 'merged_at', type: 'timestamptz' })
  mergedAt!: Date;
}
