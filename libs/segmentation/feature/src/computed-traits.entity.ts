import type { CartItem } from '@kairos/contracts';
import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';

/** pg returns numeric as a string (it may exceed a double); money here fits a double. */
export const numericToNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/** One row per profile: the incrementally maintained traits (see traits-reducer.ts). */
@Entity({ name: 'computed_traits' })
export class ComputedTraitsEntity {
  @PrimaryColumn({ name: 'profile_id', type: 'uuid' })
  profileId!: string;

  @Column({ name: 'event_count', type: 'integer' })
  eventCount!: number;

  @Column({ name: 'order_count', type: 'integer' })
  orderCount!: number;

  @Column({ name: 'total_spent', type: 'numeric', transformer: numericToNumber })
  totalSpent!: number;

  @Column({ name: 'last_event_at', type: 'timestamptz', nullable: true })
  lastEventAt!: Date | null;

  @Column({ name: 'last_order_at', type: 'timestamptz', nullable: true })
  lastOrderAt!: Date | null;

  @Column({ name: 'cart', type: 'jsonb' })
  cart!: CartItem[];

  @Column({ name: 'last_cart_activity_at', type: 'timestamptz', nullable: true })
  lastCartActivityAt!: Date | null;

  /**
   * Bumped on every write; the Redis mirror only accepts a newer version, so a slow writer can
   * never overwrite the hot copy with an older state.
   */
  @Column({ name: 'version', type: 'bigint', transformer: numericToNumber })
  version!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
