import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Condition } from './domain/condition';

/** A content rule: when `condition` holds for the person, block `blockKey` shows `variant`. */
@Entity({ name: 'content_rules' })
export class ContentRuleEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Column('text', { name: 'block_key' })
  blockKey!: string;

  @Column('text')
  variant!: string;

  /** Lower is evaluated first. */
  @Column('integer')
  priority!: number;

  @Column('jsonb')
  condition!: Condition;

  @Column('boolean')
  enabled!: boolean;

  @Column('text')
  description!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
