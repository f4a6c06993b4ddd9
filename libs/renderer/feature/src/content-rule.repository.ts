import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ContentRuleEntity } from './content-rule.entity';

/** Content rules in Postgres. Every method runs on the caller's EntityManager. */
@Injectable()
export class ContentRuleRepository {
  async list(manager: EntityManager): Promise<ContentRuleEntity[]> {
    return manager
      .getRepository(ContentRuleEntity)
      .find({ order: { priority: 'ASC', name: 'ASC' } });
  }

  async find(manager: EntityManager, id: string): Promise<ContentRuleEntity | null> {
    return manager.getRepository(ContentRuleEntity).findOneBy({ id });
  }

  async nameTaken(manager: EntityManager, name: string, exceptId?: string): Promise<boolean> {
    const found = await manager.getRepository(ContentRuleEntity).findOneBy({ name });
    return found !== null && found.id !== exceptId;
  }

  async save(manager: EntityManager, rule: ContentRuleEntity): Promise<void> {
    await manager.getRepository(ContentRuleEntity).save(rule);
  }

  async delete(manager: EntityManager, id: string): Promise<boolean> {
    const result = await manager.getRepository(ContentRuleEntity).delete({ id });
    return (result.affected ?? 0) > 0;
  }
}
