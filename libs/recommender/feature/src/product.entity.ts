import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';

/** pg returns numeric as a string; prices fit a double. */
export const numericToNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/**
 * The recommender's copy of the catalog (from `catalog.products.v1`), plus products first seen
 * in events before the catalog mentioned them (the catalog overwrites those when it does).
 */
@Entity({ name: 'products' })
export class ProductEntity {
  @PrimaryColumn({ name: 'product_id', type: 'text' })
  productId!: string;

  @Column({ name: 'name', type: 'text' })
  name!: string;

  @Column({ name: 'description', type: 'text' })
  description!: string;

  /** '' when unknown. */
  @Column({ name: 'category', type: 'text' })
  category!: string;

  @Column({ name: 'brand', type: 'text' })
  brand!: string;

  @Column({ name: 'price', type: 'numeric', nullable: true, transformer: numericToNumber })
  price!: number | null;

  @Column({ name: 'currency', type: 'text', nullable: true })
  currency!: string | null;

  @Column({ name: 'available', type: 'boolean' })
  available!: boolean;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
