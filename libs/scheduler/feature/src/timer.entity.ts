import type { CartItem } from '@kairos/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export type TimerKind = 'abandoned_cart';
export type TimerState = 'armed' | 'fired' | 'cancelled';

/** What a timer carries to its firing; for abandoned_cart, the cart snapshot. */
export interface TimerPayload {
  cart: CartItem[];
}

/**
 * A durable timer. Invariants (enforced by indexes in the migration): at most one 'armed'
 * timer per (profile, kind); idempotency_key is unique and fixed when the timer is armed, so
 * however often it is moved, it leads to at most one message request.
 */
@Entity({ name: 'timers' })
export class TimerEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  kind!: TimerKind;

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
}
