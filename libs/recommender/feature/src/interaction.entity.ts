import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The implicit-feedback matrix: how much one profile wants one product, summed over events. */
@Entity({ name: 'interactions' })
export class InteractionEntity {
  @PrimaryColumn({ name: 'profile_id', type: 'uuid' })
  profileId!: string;

  @PrimaryColumn({ name: 'product_id', type: 'text' })
  productId!: string;

  @Column({ name: 'weight', type: 'double precision' })
  weight!: number;

  /** Orders that contained the product; > 0 means "already bought, do not recommend". */
  @Column({ name: 'purchase_count', type: 'integer' })
  purchaseCount!: number;

  /** Event time of the newest interaction (never moves backwards). */
  @Column({ name: 'last_at', type: 'timestamptz' })
  lastAt!: Date;
}
