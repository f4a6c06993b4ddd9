import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One variant of a block (MJML with Liquid); content rules pick among a block's variants. */
@Entity({ name: 'block_variants' })
export class BlockVariantEntity {
  @PrimaryColumn('text', { name: 'block_key' })
  blockKey!: string;

  @PrimaryColumn('text')
  variant!: string;

  @Column('text')
  description!: string;

  @Column('text')
  mjml!: string;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
