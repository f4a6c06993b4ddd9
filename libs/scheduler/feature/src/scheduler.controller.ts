import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Put,
  UseGuards,
} from '@nestjs/common';
import { parseContract } from '@kairos/contracts';
import { AdminTokenGuard } from '@kairos/service-kit';
import type { DecisionView } from './dto/decision.dto';
import { UpsertTriggerDefinition, type TriggerDefinitionView } from './dto/trigger-definition.dto';
import { ListDecisionsUseCase } from './list-decisions.use-case';
import { ManageTriggersUseCase } from './manage-triggers.use-case';

/** Admin API: why did (or didn't) a person get a triggered email; the trigger definitions. */
@Controller('admin')
@UseGuards(AdminTokenGuard)
export class SchedulerController {
  constructor(
    private readonly listDecisions: ListDecisionsUseCase,
    private readonly triggers: ManageTriggersUseCase,
  ) {}

  @Get('profiles/:profileId/decisions')
  async decisions(
    @Param('profileId', new ParseUUIDPipe()) profileId: string,
  ): Promise<DecisionView[]> {
    return this.listDecisions.execute(profileId);
  }

  @Get('triggers')
  async listTriggers(): Promise<TriggerDefinitionView[]> {
    return this.triggers.list();
  }

  @Put('triggers/:id')
  async putTrigger(@Param('id') id: string, @Body() body: unknown): Promise<TriggerDefinitionView> {
    if (!/^[a-z0-9_.-]{1,100}$/.test(id))
      throw new BadRequestException('trigger id: 1–100 characters of a-z, 0-9, _ . -');
    const parsed = parseContract(UpsertTriggerDefinition, body);
    if (!parsed.ok) throw new BadRequestException(`invalid trigger definition: ${parsed.summary}`);
    return this.triggers.upsert(id, parsed.value);
  }
}
