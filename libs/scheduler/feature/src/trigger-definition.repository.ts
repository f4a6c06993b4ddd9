import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { TriggerDefinitionEntity } from './trigger-definition.entity';

/** Trigger definitions, read fresh in the caller's transaction (admins may change them any time). */
@Injectable()
export class TriggerDefinitionRepository {
  async findById(manager: EntityManager, id: string): Promise<TriggerDefinitionEntity | null> {
    return manager.getRepository(TriggerDefinitionEntity).findOneBy({ id });
  }

  async findMany(
    manager: EntityManager,
    ids: string[],
  ): Promise<Map<string, TriggerDefinitionEntity>> {
    if (ids.length === 0) return new Map();
    const rows = await manager.getRepository(TriggerDefinitionEntity).findBy({ id: In(ids) });
    return new Map(rows.map((r) => [r.id, r]));
  }

  async findAll(manager: EntityManager): Promise<TriggerDefinitionEntity[]> {
    return manager.getRepository(TriggerDefinitionEntity).find({ order: { id: 'ASC' } });
  }

  /** The enabled definitions started by entering `segmentId`. */
  async findEnabledForSegment(
    manager: EntityManager,
    segmentId: string,
  ): Promise<TriggerDefinitionEntity[]> {
    return manager
      .getRepository(TriggerDefinitionEntity)
      .findBy({ segmentId, kind: 'segment_entered', enabled: true });
  }

  async upsert(manager: EntityManager, definition: TriggerDefinitionEntity): Promise<void> {
    // save() (select + insert/update) copes with the free-form jsonb params, which upsert's
    // deep-partial typing cannot express; admin writes are rare.
    await manager.getRepository(TriggerDefinitionEntity).save(definition);
  }
}
