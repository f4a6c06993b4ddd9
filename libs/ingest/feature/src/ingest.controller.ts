import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { IngestHttpException } from './http-error';
import { ReceiveEventsUseCase } from './receive-events.use-case';
import type { SegmentCall } from './segment-call';
import { WriteKeyGuard } from './write-key.guard';

/**
 * Segment-compatible HTTP API (https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/):
 * `POST /v1/{identify,track,page,alias,batch}` with the write key as the HTTP Basic user name.
 * Answers `200 {"success": true}` once the events are durably on `events.raw.v1`; 400 (naming
 * each bad event and field), 401, 413 and 503 with a JSON error otherwise.
 */
@Controller('v1')
@UseGuards(WriteKeyGuard)
export class IngestController {
  constructor(private readonly receive: ReceiveEventsUseCase) {}

  @Post('identify')
  @HttpCode(200)
  identify(@Body() body: unknown) {
    return this.handle('identify', body);
  }

  @Post('track')
  @HttpCode(200)
  track(@Body() body: unknown) {
    return this.handle('track', body);
  }

  @Post('page')
  @HttpCode(200)
  page(@Body() body: unknown) {
    return this.handle('page', body);
  }

  @Post('alias')
  @HttpCode(200)
  alias(@Body() body: unknown) {
    return this.handle('alias', body);
  }

  @Post('batch')
  @HttpCode(200)
  batch(@Body() body: unknown) {
    return this.handle('batch', body);
  }

  private async handle(call: SegmentCall, body: unknown): Promise<{ success: true }> {
    const outcome = await this.receive.execute(call, body);
    switch (outcome.status) {
      case 'accepted':
        return { success: true };
      case 'invalid':
        throw new IngestHttpException(400, outcome.message, outcome.issues);
      case 'unavailable':
        throw new IngestHttpException(503, outcome.message);
    }
  }
}
