import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import { DataSource } from 'typeorm';
import type { TriggerDefinitionView, UpsertTriggerDefinition } from './dto/trigger-definition.dto';
import type { TriggerDefinitionEntity } from './trigger-definition.entity';
import { TriggerDefinitionRepository } from './trigger-definition.repository';

/** Admin: list and create/replace trigger definitions (changes apply to the next arm and firing). */
@Injectable()
export class ManageTriggersUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly definitions: TriggerDefinitionRepository,
  ) {}

  async list(): Promise<TriggerDefinitionView[]> {
    return (await this.definitions.findAll(this.dataSource.manager)).map(view);
  }

  async upsert(id: string, body: UpsertTriggerDefinition): Promise<TriggerDefinitionView> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (manager) => {
      const existing = await this.definitions.findById(manager, id);
      const entity: TriggerDefinitionEntity = {
        id,
        ...body,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      await this.definitions.upsert(manager, entity);
      return view(entity);
    });
  }
}

function view(d: TriggerDefinitionEntity): TriggerDefinitionView {
  return {
    id: d.id,
    kind: d.kind,
    template: d.template,
    category: d.category,
    priority: d.priority,
    enabled: d.enabled,
    segmentId: d.segmentId,
    params: d.params,
    updatedAt: d.updatedAt.toISOString(),
  };
}
