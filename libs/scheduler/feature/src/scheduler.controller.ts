import { Controller, Get, Param, ParseUUIDPipe, UseGuards } from '@nestjs/common';
import { AdminTokenGuard } from '@kairos/service-kit';
import type { DecisionView } from './dto/decision.dto';
import { ListDecisionsUseCase } from './list-decisions.use-case';

/** Admin API: why did (or didn't) a person get a triggered email. */
@Controller('admin/profiles')
@UseGuards(AdminTokenGuard)
export class SchedulerController {
  constructor(private readonly listDecisions: ListDecisionsUseCase) {}

  @Get(':profileId/decisions')
  async decisions(
    @Param('profileId', new ParseUUIDPipe()) profileId: string,
  ): Promise<DecisionView[]> {
    return this.listDecisions.execute(profileId);
  }
}
