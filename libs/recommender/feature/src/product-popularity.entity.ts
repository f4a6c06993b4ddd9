import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Sum of interaction weights per product over all profiles, maintained incrementally in the
 * same transaction as `interactions` (invariant: score = SUM(interactions.weight) per product).
 */
@Entity({ name: 'product_popularity' })
export class ProductPopularityEntity {
  @PrimaryColumn({ name: 'product_id', type: 'text' })
  productId!: string;

  @Column({ name: 'score', type: 'double precision' })
  score!: number;
}
