import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One offline evaluation (time and random holdouts) of the models on the service's own data. */
@Entity({ name: 'model_evaluations' })
export class ModelEvaluationEntity {
  @PrimaryColumn({ name: 'id', type: 'uuid' })
  id!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'parameters', type: 'jsonb' })
  parameters!: Record<string, unknown>;

  /** The EvaluationResult of each split. */
  @Column({ name: 'results', type: 'jsonb' })
  results!: unknown[];

  /** Where result.json and report.html were written. */
  @Column({ name: 'output_dir', type: 'text' })
  outputDir!: string;
}
