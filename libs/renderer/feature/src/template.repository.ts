import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TemplateEntity } from './template.entity';

@Injectable()
export class TemplateRepository {
  /** The newest approved version of a template, or null. */
  async findLatestApproved(manager: EntityManager, name: string): Promise<TemplateEntity | null> {
    return manager.getRepository(TemplateEntity).findOne({
      where: { name, approved: true },
      order: { version: 'DESC' },
    });
  }
}
