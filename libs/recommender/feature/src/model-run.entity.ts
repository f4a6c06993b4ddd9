import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ModelRunStatus = 'running' | 'succeeded' | 'failed';

/**
 * The model registry: one row per training run, written when it starts ('running') and when it
 * ends. A run that died with its process stays 'running' until the next run marks it 'failed'.
 */
@Entity({ name: 'model_runs' })
export class ModelRunEntity {
  @PrimaryColumn({ name: 'id', type: 'uuid' })
  id!: string;

  /** 'schedule' | 'admin' | 'cli'. */
  @Column({ name: 'trigger', type: 'text' })
  trigger!: string;

  @Column({ name: 'status', type: 'text' })
  status!: ModelRunStatus;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  /** "Now" of the decay; events after it were not used. */
  @Column({ name: 'reference_time', type: 'timestamptz' })
  referenceTime!: Date;

  @Column({ name: 'parameters', type: 'jsonb' })
  parameters!: Record<string, unknown>;

  @Column({ name: 'users', type: 'integer', nullable: true })
  users!: number | null;

  @Column({ name: 'items', type: 'integer', nullable: true })
  items!: number | null;

  @Column({ name: 'nnz', type: 'integer', nullable: true })
  nnz!: number | null;

  @Column({ name: 'duration_ms', type: 'integer', nullable: true })
  durationMs!: number | null;

  @Column({ name: 'metrics', type: 'jsonb', nullable: true })
  metrics!: Record<string, unknown> | null;

  @Column({ name: 'error', type: 'text', nullable: true })
  error!: string | null;
}
