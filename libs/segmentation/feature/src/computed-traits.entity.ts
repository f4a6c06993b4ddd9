import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';
import type { StoredProfile } from './profile-input';

/** pg returns bigint as a string; versions here stay far below 2^53. */
export const bigintToNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/**
 * One row per profile: the domain's ComputedTraits document (see @kairos/segmentation/domain,
 * computed-traits.ts), the profile-level input segments read, and when its memberships were
 * last evaluated.
 */
@Entity({ name: 'computed_traits' })
export class ComputedTraitsEntity {
  @PrimaryColumn({ name: 'profile_id', type: 'uuid' })
  profileId!: string;

  /** The domain ComputedTraits (JSON; times are epoch ms). */
  @Column({ name: 'traits', type: 'jsonb' })
  traits!: Record<string, unknown>;

  /** Profile fields from profiles.changes.v1 (no email address: see profile-input.ts). */
  @Column({ name: 'profile', type: 'jsonb', nullable: true })
  profile!: StoredProfile | null;

  /** Version of the newest ProfileChanged applied (0: none yet); older ones are ignored. */
  @Column({ name: 'profile_version', type: 'integer' })
  profileVersion!: number;

  /**
   * The clock time the memberships were last evaluated at. Facts are a function of (traits,
   * profile, day), so the facts "before" a change are recomputed from the stored row at this
   * time; null = never evaluated (everything is evaluated).
   */
  @Column({ name: 'evaluated_at', type: 'timestamptz', nullable: true })
  evaluatedAt!: Date | null;

  @Column({ name: 'primary_segment', type: 'text', nullable: true })
  primarySegment!: string | null;

  /**
   * Bumped on every write (traits, profile or memberships); the Redis mirror only accepts a
   * newer version, so a slow writer can never overwrite the hot copy with an older state.
   */
  @Column({ name: 'version', type: 'bigint', transformer: bigintToNumber })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
