import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Post,
  UseGuards,
} from '@nestjs/common';
import { CLOCK, ControllableClock, type Clock } from '@kairos/clock';
import { AdminTokenGuard } from './admin-token.guard';

interface MoveClockBody {
  advanceMs?: unknown;
  to?: unknown;
}

/**
 * Moves a controllable clock (KAIROS_CLOCK=controllable), so tests and the demo can make
 * four hours pass in a second. Mounted only when the clock is controllable; admin token needed.
 */
@Controller('admin/clock')
@UseGuards(AdminTokenGuard)
export class ClockController {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  @Get()
  now(): { now: string } {
    return { now: this.clock.now().toISOString() };
  }

  @Post()
  @HttpCode(200)
  move(@Body() body: MoveClockBody): { now: string } {
    if (!(this.clock instanceof ControllableClock))
      throw new BadRequestException('this service runs on the system clock');
    try {
      if (typeof body?.advanceMs === 'number')
        return { now: this.clock.advance(body.advanceMs).toISOString() };
      if (typeof body?.to === 'string')
        return { now: this.clock.set(new Date(body.to)).toISOString() };
    } catch (error) {
      throw new BadRequestException(error instanceof Error ? error.message : String(error));
    }
    throw new BadRequestException(
      'send {"advanceMs": <non-negative number>} or {"to": "<ISO-8601 time>"}',
    );
  }
}
