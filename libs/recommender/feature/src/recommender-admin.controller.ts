import {
  BadRequestException,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  Logger,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { Response } from 'express';
import { errorMessage } from '@kairos/messaging';
import { AdminTokenGuard } from '@kairos/service-kit';
import { ModelRunRepository, type ModelRun } from './model-run.repository';
import { TrainModelsUseCase } from './train-models.use-case';

/**
 * Operator endpoints for the models (admin token needed):
 *   POST /admin/recommender/train            start a training run → 202 {run} (status 'running')
 *   POST /admin/recommender/train?wait=true  … and answer when it ended → 200 {run}
 *   GET  /admin/recommender/runs             the newest runs
 *   GET  /admin/recommender/runs/:id         one run
 * A second start while a run is going answers 409.
 */
@Controller('admin/recommender')
@UseGuards(AdminTokenGuard)
export class RecommenderAdminController {
  private readonly log = new Logger(RecommenderAdminController.name);

  constructor(
    private readonly train: TrainModelsUseCase,
    private readonly runs: ModelRunRepository,
  ) {}

  @Post('train')
  @HttpCode(202)
  async startTraining(
    @Res({ passthrough: true }) response: Response,
    @Query('wait') wait?: string,
  ): Promise<{ run: ModelRun }> {
    if (wait !== undefined && wait !== 'true' && wait !== 'false')
      throw new BadRequestException('wait must be "true" or "false"');
    const launched = await this.train.launch({ trigger: 'admin' });
    if (!launched)
      throw new ConflictException(
        'A training run is already in progress; see GET /admin/recommender/runs.',
      );
    // The run goes on without the request; its outcome is in the registry either way.
    launched.done.catch((error: unknown) =>
      this.log.error(`training run ${launched.runId} failed: ${errorMessage(error)}`),
    );
    if (wait === 'true') response.status(200);
    const run = wait === 'true' ? await launched.done : await this.runs.get(launched.runId);
    if (!run) throw new NotFoundException(`run ${launched.runId} is not in the registry`);
    return { run };
  }

  @Get('runs')
  async list(): Promise<{ runs: ModelRun[] }> {
    return { runs: await this.runs.list(20) };
  }

  @Get('runs/:id')
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<{ run: ModelRun }> {
    const run = await this.runs.get(id);
    if (!run) throw new NotFoundException(`No model run ${id}.`);
    return { run };
  }
}
