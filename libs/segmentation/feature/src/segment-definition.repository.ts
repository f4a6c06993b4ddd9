import { Injectable } from '@nestjs/common';
import type { SegmentDefinition } from '@kairos/segmentation/domain';
import { IsNull, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { SegmentDefinitionEntity, type SegmentKind } from './segment-definition.entity';

/** Reads and writes `segment_definitions`, in the caller's transaction. */
@Injectable()
export class SegmentDefinitionRepository {
  /**
   * A key that changes whenever any definition changes: every create adds a row and every
   * update or delete bumps a version, so (rows, sum of versions) only ever grows.
   */
  async revision(manager: EntityManager): Promise<string> {
    const rows = await manager
      .getRepository(SegmentDefinitionEntity)
      .createQueryBuilder('d')
      .select('count(*)', 'n')
      .addSelect('coalesce(sum(d.version), 0)', 'v')
      .getRawOne<{ n: string; v: string }>();
    return `${rows?.n ?? 0}:${rows?.v ?? 0}`;
  }

  async active(manager: EntityManager): Promise<SegmentDefinitionEntity[]> {
    return manager
      .getRepository(SegmentDefinitionEntity)
      .find({ where: { deletedAt: IsNull() }, order: { id: 'ASC' } });
  }

  /** Every definition ever created, deleted ones included. */
  async all(manager: EntityManager): Promise<SegmentDefinitionEntity[]> {
    return manager.getRepository(SegmentDefinitionEntity).find({ order: { id: 'ASC' } });
  }

  /** Including deleted ones (an id is never reused). */
  async find(manager: EntityManager, id: string): Promise<SegmentDefinitionEntity | null> {
    return manager.getRepository(SegmentDefinitionEntity).findOneBy({ id });
  }

  async lock(manager: EntityManager, id: string): Promise<SegmentDefinitionEntity | null> {
    return manager
      .getRepository(SegmentDefinitionEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async insert(
    manager: EntityManager,
    definition: SegmentDefinition,
    kind: SegmentKind,
    now: Date,
    options: { builtIn?: boolean; ifAbsent?: boolean } = {},
  ): Promise<void> {
    const insert = manager
      .createQueryBuilder()
      .insert()
      .into(SegmentDefinitionEntity)
      .values({
        id: definition.id,
        name: definition.name,
        description: definition.description ?? null,
        priority: definition.priority ?? 0,
        kind,
        definition,
        version: 1,
        evaluatedVersion: 0,
        builtIn: options.builtIn ?? false,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      } as QueryDeepPartialEntity<SegmentDefinitionEntity>);
    // ifAbsent: seeding never overwrites (nor revives) a definition a marketer edited/deleted.
    await (options.ifAbsent ? insert.orIgnore() : insert).execute();
  }

  async update(
    manager: EntityManager,
    current: SegmentDefinitionEntity,
    definition: SegmentDefinition,
    now: Date,
  ): Promise<number> {
    const version = current.version + 1;
    await manager.getRepository(SegmentDefinitionEntity).update({ id: current.id }, {
      name: definition.name,
      description: definition.description ?? null,
      priority: definition.priority ?? 0,
      definition,
      version,
      updatedAt: now,
    } as QueryDeepPartialEntity<SegmentDefinitionEntity>);
    return version;
  }

  async softDelete(
    manager: EntityManager,
    current: SegmentDefinitionEntity,
    now: Date,
  ): Promise<number> {
    const version = current.version + 1;
    await manager
      .getRepository(SegmentDefinitionEntity)
      .update({ id: current.id }, { version, updatedAt: now, deletedAt: now });
    return version;
  }

  /** Definitions whose evaluation is still owed (see the entity), oldest change first. */
  async pending(manager: EntityManager): Promise<SegmentDefinitionEntity[]> {
    return manager
      .getRepository(SegmentDefinitionEntity)
      .createQueryBuilder('d')
      .where('d.evaluated_version < d.version')
      .orderBy('d.updated_at', 'ASC')
      .getMany();
  }

  /** Mark `version` as evaluated (no-op if the definition changed again meanwhile). */
  async markEvaluated(manager: EntityManager, id: string, version: number): Promise<void> {
    await manager
      .getRepository(SegmentDefinitionEntity)
      .update({ id, version }, { evaluatedVersion: version });
  }
}
