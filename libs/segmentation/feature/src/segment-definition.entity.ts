import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SegmentDefinition } from '@kairos/segmentation/domain';

/**
 * - dynamic: re-evaluated on every event, profile change, merge and (for time) by the sweep;
 * - static: a snapshot of who matched when it was created; never re-evaluated.
 */
export type SegmentKind = 'dynamic' | 'static';

/** A segment definition (the domain's SegmentDefinition plus lifecycle). Soft-deleted. */
@Entity({ name: 'segment_definitions' })
export class SegmentDefinitionEntity {
  @PrimaryColumn({ name: 'id', type: 'text' })
  id!: string;

  @Column({ name: 'name', type: 'text' })
  name!: string;

  @Column({ name: 'description', type: 'text', nullable: true })
  description!: string | null;

  @Column({ name: 'priority', type: 'integer' })
  priority!: number;

  @Column({ name: 'kind', type: 'text' })
  kind!: SegmentKind;

  /** The whole validated SegmentDefinition (id, name, description, priority, rules). */
  @Column({ name: 'definition', type: 'jsonb' })
  definition!: SegmentDefinition;

  /** 1 on create, +1 on every update and on delete. */
  @Column({ name: 'version', type: 'integer' })
  version!: number;

  /**
   * The version whose evaluation (re-evaluation of every profile, static snapshot, or exit of
   * a deleted segment's members) has completed. Less than `version` = work still owed; the
   * job runner resumes it after a crash (every step of it is idempotent).
   */
  @Column({ name: 'evaluated_version', type: 'integer' })
  evaluatedVersion!: number;

  /** Seeded from the code's built-in templates (may be edited or deleted like any other). */
  @Column({ name: 'built_in', type: 'boolean' })
  builtIn!: boolean;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}
