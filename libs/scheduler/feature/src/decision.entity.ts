import type { MessageOutcome } from '@kairos/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { TimerKind } from './timer.entity';

export type DecisionKind = 'armed' | 'moved' | 'cancelled' | 'deferred' | 'fired' | 'suppressed';

/**
 * The scheduler's ledger: every decision about a timer, so "why did (or didn't) this person get
 * an email" has an answer. A 'fired' row also records what the renderer reported back.
 * Holds ids, times and reasons only, never PII.
 */
@Entity({ name: 'decisions' })
export class DecisionEntity {
  @PrimaryColumn('uuid')
  id!: string;

  /** Set by Postgres (identity): the order decisions were made in, for ties on `at`. */
  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  @Column('uuid', { name: 'profile_id' })
  profileId!: string;

  @Column('uuid', { name: 'timer_id', nullable: true })
  timerId!: string | null;

  @Column('text')
  kind!: TimerKind;

  @Column('text', { name: 'definition_id', nullable: true })
  definitionId!: string | null;

  @Column('text')
  decision!: DecisionKind;

  @Column('text', { nullable: true })
  reason!: string | null;

  @Column('timestamptz')
  at!: Date;

  /** For armed/moved/deferred: when the timer is now due. */
  @Column('timestamptz', { name: 'due_at', nullable: true })
  dueAt!: Date | null;

  @Column('text', { nullable: true })
  outcome!: MessageOutcome['status'] | null;

  @Column('text', { name: 'outcome_reason', nullable: true })
  outcomeReason!: string | null;

  @Column('timestamptz', { name: 'outcome_at', nullable: true })
  outcomeAt!: Date | null;
}
