import { Injectable } from '@nestjs/common';
import { dataSourceSchema, qualifiedTable } from '@kairos/persistence';
import type { EntityManager } from 'typeorm';
import type { BlockSnapshots, CompiledTemplate } from './template-compiler';
import { TemplateVersionEntity } from './template-version.entity';

/** The small part of a version every send needs (the big jsonb columns load once per version). */
export interface TemplateHead {
  name: string;
  version: number;
  subject: string;
  brandKey: string;
}

export interface NewTemplateVersion {
  name: string;
  subject: string;
  layout: string;
  brandKey: string;
  blocks: BlockSnapshots;
  compiled: CompiledTemplate;
  createdAt: Date;
}

/** Template versions in Postgres. Every method runs on the caller's EntityManager. */
@Injectable()
export class TemplateRepository {
  /** The newest approved version of a template, or null. */
  async findLatestApproved(manager: EntityManager, name: string): Promise<TemplateHead | null> {
    return manager
      .getRepository(TemplateVersionEntity)
      .createQueryBuilder('t')
      .select(['t.name', 't.version', 't.subject', 't.brandKey'])
      .where('t.name = :name AND t.status = :status', { name, status: 'approved' })
      .orderBy('t.version', 'DESC')
      .limit(1)
      .getOne();
  }

  async find(
    manager: EntityManager,
    name: string,
    version: number,
  ): Promise<TemplateVersionEntity | null> {
    return manager.getRepository(TemplateVersionEntity).findOneBy({ name, version });
  }

  async list(manager: EntityManager, name: string): Promise<TemplateVersionEntity[]> {
    return manager.getRepository(TemplateVersionEntity).find({
      where: { name },
      order: { version: 'ASC' },
      select: ['name', 'version', 'subject', 'brandKey', 'status', 'createdAt', 'approvedAt'],
    });
  }

  /** Store a version's MJML output once; a concurrent first compile loses harmlessly. */
  async saveCompiled(
    manager: EntityManager,
    name: string,
    version: number,
    compiled: CompiledTemplate,
  ): Promise<void> {
    const table = qualifiedTable(dataSourceSchema(manager.connection), 'template_versions');
    await manager.query(
      `UPDATE ${table} SET compiled = $3 WHERE name = $1 AND version = $2 AND compiled IS NULL`,
      [name, version, JSON.stringify(compiled)],
    );
  }

  /**
   * Insert the next version (max + 1) as a draft. Two concurrent creations of one template
   * collide on the primary key; the loser's transaction fails and the API answers 409.
   */
  async createDraft(manager: EntityManager, draft: NewTemplateVersion): Promise<number> {
    const table = qualifiedTable(dataSourceSchema(manager.connection), 'template_versions');
    const rows = await manager.query<{ version: number }[]>(
      `INSERT INTO ${table} (name, version, subject, layout, brand_key, status, blocks, compiled, created_at)
       SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4, 'draft', $5, $6, $7 FROM ${table} WHERE name = $1
       RETURNING version`,
      [
        draft.name,
        draft.subject,
        draft.layout,
        draft.brandKey,
        JSON.stringify(draft.blocks),
        JSON.stringify(draft.compiled),
        draft.createdAt,
      ],
    );
    return rows[0].version;
  }

  /** draft → approved; false if there is no such version. Approving twice is a no-op. */
  async approve(manager: EntityManager, name: string, version: number, at: Date): Promise<boolean> {
    const result = await manager
      .getRepository(TemplateVersionEntity)
      .createQueryBuilder()
      .update()
      .set({ status: 'approved', approvedAt: () => 'COALESCE(approved_at, :at)' })
      .setParameter('at', at)
      .where('name = :name AND version = :version', { name, version })
      .execute();
    return (result.affected ?? 0) > 0;
  }
}
