import { Entity, PrimaryColumn } from 'typeorm';

/** One blocking key of a profile: profiles sharing a key are compared (see domain/matching). */
@Entity({ name: 'blocking_keys' })
export class BlockingKeyEntity {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @PrimaryColumn({ name: 'profile_id', type: 'uuid' })
  profileId!: string;
}
