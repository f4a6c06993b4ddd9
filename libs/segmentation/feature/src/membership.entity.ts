import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A profile is in a segment (one row per pair); rows come and go as traits change. */
@Entity({ name: 'memberships' })
export class MembershipEntity {
  @PrimaryColumn({ name: 'profile_id', type: 'uuid' })
  profileId!: string;

  @PrimaryColumn({ name: 'segment_id', type: 'text' })
  segmentId!: string;

  @Column({ name: 'entered_at', type: 'timestamptz' })
  enteredAt!: Date;
}
