import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An unsubscribe received through a delivery's link (one per delivery: the primary key makes
 * repeated clicks and one-click retries no-ops, so the event is published once).
 */
@Entity({ name: 'unsubscribes' })
export class UnsubscribeEntity {
  @PrimaryColumn('uuid', { name: 'delivery_id' })
  deliveryId!: string;

  @Column('uuid', { name: 'profile_id' })
  profileId!: string;

  /** 'one-click' (RFC 8058 POST from the mail client) or 'page' (the confirm page's form). */
  @Column('text')
  method!: 'one-click' | 'page';

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}
