import type { TriggerKind } from '@kairos/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export type FiringStatus = 'requested' | 'sent' | 'held' | 'failed' | 'suppressed';

/**
 * One message request the scheduler emitted, keyed by its idempotency key (the primary key is
 * what makes a retried firing produce at most one request). Also the send ledger: the
 * frequency caps and the overlap rule count these rows; outcomes update `status`.
 */
@Entity({ name: 'firings' })
export class FiringEntity {
  @PrimaryColumn('text', { name: 'idempotency_key' })
  idempotencyKey!: string;

  @Column('uuid', { name: 'request_id' })
  requestId!: string;

  @Column('uuid', { name: 'timer_id' })
  timerId!: string;

  @Column('uuid', { name: 'profile_id' })
  profileId!: string;

  @Column('text', { name: 'definition_id' })
  definitionId!: string;

  @Column('text')
  kind!: TriggerKind;

  @Column('text')
  category!: 'marketing' | 'transactional';

  @Column('integer')
  priority!: number;

  @Column('timestamptz', { name: 'fired_at' })
  firedAt!: Date;

  @Column('text')
  status!: FiringStatus;

  @Column('timestamptz', { name: 'outcome_at', nullable: true })
  outcomeAt!: Date | null;
}
