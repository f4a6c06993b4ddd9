import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BlockSnapshots, CompiledTemplate } from './template-compiler';

export type TemplateStatus = 'draft' | 'approved';

/**
 * One version of a modular email template: an MJML layout with `<mj-slot name="…"/>` slots, the
 * blocks it uses as they were when the version was created (`blocks`, a snapshot), a Liquid
 * subject and a brand. Versions are immutable once written — edits to blocks or layout make a
 * new version — so the MJML output (`compiled`) is computed once per version and cached here,
 * and a sent email can always be traced to its exact source. Only 'approved' versions send.
 */
@Entity({ name: 'template_versions' })
export class TemplateVersionEntity {
  @PrimaryColumn('text')
  name!: string;

  @PrimaryColumn('integer')
  version!: number;

  @Column('text')
  subject!: string;

  @Column('text')
  layout!: string;

  @Column('text', { name: 'brand_key' })
  brandKey!: string;

  @Column('text')
  status!: TemplateStatus;

  @Column('jsonb')
  blocks!: BlockSnapshots;

  /** MJML output, filled on first compile (null for seeded versions until first use). */
  @Column('jsonb', { nullable: true })
  compiled!: CompiledTemplate | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'approved_at', nullable: true })
  approvedAt!: Date | null;
}
