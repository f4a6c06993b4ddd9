import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A node of the identity graph: (type, value) belongs to exactly one profile. */
@Entity({ name: 'identifiers' })
export class IdentifierEntity {
  @PrimaryColumn({ type: 'text' })
  type!: string;

  @PrimaryColumn({ type: 'text' })
  value!: string;

  @Column({ name: 'profile_id', type: 'uuid' })
  profileId!: string;

  @Column({ name: 'first_seen_at', type: 'timestamptz' })
  firstSeenAt!: Date;
}
