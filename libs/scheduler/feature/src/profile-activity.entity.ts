import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What the scheduler learns about a person from the event stream (not from the profile
 * projection): recent visits, the last purchase and open, opens per local hour (for send-time
 * optimization), a bounce, the latest consent event and when they subscribed. No PII.
 * Its row is also the per-person lock that serializes firing decisions for one person across
 * dispatcher replicas (caps and overlap count the ledger under it).
 */
@Entity({ name: 'profile_activity' })
export class ProfileActivityEntity {
  @PrimaryColumn('uuid', { name: 'profile_id' })
  profileId!: string;

  @Column('timestamptz', { array: true })
  visits!: Date[];

  @Column('timestamptz', { name: 'last_purchase_at', nullable: true })
  lastPurchaseAt!: Date | null;

  @Column('timestamptz', { name: 'last_open_at', nullable: true })
  lastOpenAt!: Date | null;

  @Column('integer', { name: 'open_hours', array: true })
  openHours!: number[];

  @Column('timestamptz', { name: 'bounced_at', nullable: true })
  bouncedAt!: Date | null;

  @Column('text', { name: 'consent_status', nullable: true })
  consentStatus!: 'subscribed' | 'unsubscribed' | null;

  @Column('timestamptz', { name: 'consent_at', nullable: true })
  consentAt!: Date | null;

  @Column('timestamptz', { name: 'subscribed_at', nullable: true })
  subscribedAt!: Date | null;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
