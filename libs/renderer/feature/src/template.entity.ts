import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A version of an email template (Liquid source). Versions are immutable once written — edits
 * make a new version — so a rendered email can always be traced to the exact source, and parsed
 * templates can be cached by name and version. Only approved versions are sent.
 */
@Entity({ name: 'templates' })
export class TemplateEntity {
  @PrimaryColumn('text')
  name!: string;

  @PrimaryColumn('integer')
  version!: number;

  @Column('text')
  subject!: string;

  @Column('text')
  html!: string;

  @Column('text')
  text!: string;

  @Column('boolean')
  approved!: boolean;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}
