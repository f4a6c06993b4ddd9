import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One person. Typed fields are what templates and triggers read; `traits` holds the rest. */
@Entity({ name: 'profiles' })
export class ProfileEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** Bumped on every change; profile_versions keeps each one. */
  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ type: 'text', nullable: true })
  phone!: string | null;

  @Column({ name: 'first_name', type: 'text', nullable: true })
  firstName!: string | null;

  @Column({ name: 'last_name', type: 'text', nullable: true })
  lastName!: string | null;

  /** YYYY-MM-DD (TypeORM maps `date` to a string). */
  @Column({ type: 'date', nullable: true })
  birthday!: string | null;

  @Column({ type: 'text', nullable: true })
  timezone!: string | null;

  @Column({ name: 'email_consent', type: 'text', default: 'unknown' })
  emailConsent!: string;

  @Column({ type: 'jsonb', default: {} })
  traits!: Record<string, unknown>;

  /** Event time of each held value (`email`, `traits.plan`, …), for last-write-wins. */
  @Column({ name: 'field_times', type: 'jsonb', default: {} })
  fieldTimes!: Record<string, string>;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
