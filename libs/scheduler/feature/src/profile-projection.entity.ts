import type { ConsentState } from '@kairos/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The scheduler's own projection of `profiles.changes.v1`: only what its guards need, and no
 * PII (whether an address exists, not the address). Consent is read from here, fresh, in the
 * same transaction that fires a timer.
 */
@Entity({ name: 'profiles' })
export class ProfileProjectionEntity {
  @PrimaryColumn('uuid', { name: 'profile_id' })
  profileId!: string;

  /** The ProfileChanged version applied; older versions are ignored. */
  @Column('integer')
  version!: number;

  @Column('boolean', { name: 'email_present' })
  emailPresent!: boolean;

  @Column('text', { name: 'email_consent' })
  emailConsent!: ConsentState;

  @Column('text', { nullable: true })
  timezone!: string | null;

  /** YYYY-MM-DD (for the birthday trigger to come). */
  @Column('date', { nullable: true })
  birthday!: string | null;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
