import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The history of memberships: one row per announced entered/exited (written in the same
 * transaction as the membership row and the outbox message, so the three always agree).
 */
@Entity({ name: 'membership_events' })
export class MembershipEventEntity {
  @PrimaryGeneratedColumn({ name: 'id', type: 'bigint' })
  id!: string;

  @Column({ name: 'profile_id', type: 'uuid' })
  profileId!: string;

  @Column({ name: 'segment_id', type: 'text' })
  segmentId!: string;

  @Column({ name: 'change', type: 'text' })
  change!: 'entered' | 'exited';

  /** When it happened on the customer's timeline (the causing event's time, or the clock's). */
  @Column({ name: 'at', type: 'timestamptz' })
  at!: Date;

  /** The service clock when it was recorded; size/churn over time are bucketed by this. */
  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;

  @Column({ name: 'cause_id', type: 'text' })
  causeId!: string;
}
