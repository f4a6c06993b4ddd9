import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { InteractionKind } from './interaction-signals';

/**
 * One interaction of one profile with one product, as it happened (training applies weights and
 * decay by kind and time). At most one row per (event, product).
 * Invariant: `origin_profile_id` is the profile the event was resolved to and never changes;
 * `profile_id` follows merges (it is where the row counts now).
 */
@Entity({ name: 'interaction_events' })
export class InteractionEventEntity {
  @PrimaryColumn({ name: 'id', type: 'bigint' })
  id!: string;

  @Column({ name: 'event_id', type: 'text' })
  eventId!: string;

  @Column({ name: 'profile_id', type: 'uuid' })
  profileId!: string;

  @Column({ name: 'origin_profile_id', type: 'uuid' })
  originProfileId!: string;

  @Column({ name: 'product_id', type: 'text' })
  productId!: string;

  @Column({ name: 'kind', type: 'text' })
  kind!: InteractionKind;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;
}
