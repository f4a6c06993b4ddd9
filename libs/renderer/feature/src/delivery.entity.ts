import type { TriggerKind } from '@kairos/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DeliveryStatus } from './delivery-claim';

/**
 * One message to one person, keyed by the request's idempotency key (unique), so at most one
 * delivery — and at most one email — exists per key. Holds ids and reasons, never addresses.
 */
@Entity({ name: 'deliveries' })
export class DeliveryEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'request_id' })
  requestId!: string;

  @Column('text', { name: 'idempotency_key' })
  idempotencyKey!: string;

  @Column('uuid', { name: 'profile_id' })
  profileId!: string;

  @Column('text')
  trigger!: TriggerKind;

  @Column('text')
  template!: string;

  @Column('text')
  status!: DeliveryStatus;

  @Column('text', { nullable: true })
  reason!: string | null;

  /** For 'failed': true when nothing reached SMTP's acceptance, so a later attempt may send. */
  @Column('boolean')
  retriable!: boolean;

  /** RFC 5322 Message-ID, once sent. */
  @Column('text', { name: 'message_id', nullable: true })
  messageId!: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
