import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Brand voice: style variables blocks read as `brand.*` (tone, formality, sign-off, site). */
@Entity({ name: 'brands' })
export class BrandEntity {
  @PrimaryColumn('text')
  key!: string;

  @Column('text')
  name!: string;

  @Column('text')
  tone!: string;

  @Column('text')
  formality!: 'casual' | 'formal';

  @Column('text', { name: 'sign_off' })
  signOff!: string;

  @Column('text', { name: 'website_url' })
  websiteUrl!: string;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
