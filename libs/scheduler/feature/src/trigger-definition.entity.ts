import type { TriggerKind } from '@kairos/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A configurable trigger: what starts it (its kind, and for segment_entered the segment), which
 * template it asks for, its category and priority, and kind-specific params (delays, windows).
 * Built-ins are seeded by the migration; admins change them (or add segment triggers) at run time.
 */
@Entity({ name: 'trigger_definitions' })
export class TriggerDefinitionEntity {
  @PrimaryColumn('text')
  id!: string;

  @Column('text')
  kind!: TriggerKind;

  @Column('text')
  template!: string;

  @Column('text')
  category!: 'marketing' | 'transactional';

  @Column('integer')
  priority!: number;

  @Column('boolean')
  enabled!: boolean;

  @Column('text', { name: 'segment_id', nullable: true })
  segmentId!: string | null;

  @Column('jsonb')
  params!: Record<string, unknown>;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
