import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A reusable content block (header, cart items, offer banner, …). Template versions snapshot
 * blocks when they are created, so editing a block changes only versions created afterwards.
 */
@Entity({ name: 'blocks' })
export class BlockEntity {
  @PrimaryColumn('text')
  key!: string;

  /** What the block is for and which rules/variables drive it (documentation per block). */
  @Column('text')
  description!: string;

  /** A required block that renders empty holds the email. */
  @Column('boolean')
  required!: boolean;

  /** Static default MJML, used when the chosen variant fails to render. */
  @Column('text')
  fallback!: string;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
