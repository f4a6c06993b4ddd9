import type { CartItem, TriggerKind } from '@kairos/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export type TimerKind = TriggerKind;
export type TimerState = 'armed' | 'fired' | 'cancelled';

/** What a timer carries to its firing (only the fields of its kind are set). */
export interface TimerPayload {
  /** abandoned_cart: the cart snapshot. */
  cart?: CartItem[];
  /** birthday: the year this occurrence celebrates (part of its idempotency key). */
  year?: number;
  /** welcome: when the person subscribed (ISO). */
  subscribedAt?: string;
  /** re_engagement: visits counted when it was armed. */
  visits?: number;
  /** dormant: the last open that (re-)armed it (ISO), if any. */
  lastOpenAt?: string | null;
  /** segment_entered: the segment entered. */
  segmentId?: string;
  /** Set once send-time optimization has moved the timer: it moves a send at most once. */
  stoApplied?: boolean;
}

/**
 * A durable timer. Invariants (enforced by indexes in the migrations): at most one 'armed'
 * timer per (profile, definition). The idempotency key is the key of the message request the
 * timer would fire; it is unique in `firings`, so however often a timer is moved, retried or
 * re-armed, its key leads to at most one request.
 *
 * Leases: the dispatcher claims due timers by setting lease_until/lease_owner in a short
 * transaction and fires them in another; a claim whose lease has expired (the dispatcher
 * crashed or hung) is claimable again. Firing re-checks the lease owner under a row lock.
 */
@Entity({ name: 'timers' })
export class TimerEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  kind!: TimerKind;

  /** The trigger definition (built-in id such as 'birthday', or an admin-defined one). */
  @Column('text', { name: 'definition_id' })
  definitionId!: string;

  @Column('uuid', { name: 'profile_id' })
  profileId!: string;

  @Column('timestamptz', { name: 'due_at' })
  dueAt!: Date;

  @Column('text')
  state!: TimerState;

  @Column('jsonb')
  payload!: TimerPayload;

  /** W3C trace headers of the event that last armed/moved it; the firing continues that trace. */
  @Column('jsonb', { name: 'trace_headers' })
  traceHeaders!: Record<string, string>;

  @Column('text', { name: 'idempotency_key' })
  idempotencyKey!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  @Column('timestamptz', { name: 'fired_at', nullable: true })
  firedAt!: Date | null;

  @Column('timestamptz', { name: 'lease_until', nullable: true })
  leaseUntil?: Date | null;

  @Column('uuid', { name: 'lease_owner', nullable: true })
  leaseOwner?: string | null;

  /** How many times the timer was claimed (a timer that keeps failing is given up on). */
  @Column('integer', { default: 0 })
  attempts?: number;
}
