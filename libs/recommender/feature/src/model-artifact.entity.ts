import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What a service needs to fold users in against a run's model without retraining: the item
 * factors (nItems × factors float32, little-endian, row-major; format 'f32le-v1') in the order
 * of `item_ids`. User factors are not kept: fold-in recomputes a user's vector from their events.
 */
@Entity({ name: 'model_artifacts' })
export class ModelArtifactEntity {
  @PrimaryColumn({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @Column({ name: 'format', type: 'text' })
  format!: string;

  @Column({ name: 'factors', type: 'integer' })
  factors!: number;

  @Column({ name: 'item_ids', type: 'text', array: true })
  itemIds!: string[];

  @Column({ name: 'item_factors', type: 'bytea' })
  itemFactors!: Buffer;

  @Column({ name: 'als_config', type: 'jsonb' })
  alsConfig!: Record<string, unknown>;
}
