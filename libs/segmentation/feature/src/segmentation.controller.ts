import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpException,
  NotFoundException,
  Param,
  Post,
  Put,
  Query,
  UseGuards,
} from '@nestjs/common';
import { AdminTokenGuard } from '@kairos/service-kit';
import type { PreviewView, SegmentView, StatsView, ValidationView } from './dto/segment.dto';
import openApiDocument from './openapi.json';
import { SegmentAdminService } from './segment-admin.service';
import { SegmentationErrorCode, SegmentationException } from './segmentation.exception';

const SEGMENT_ID = /^[a-z0-9][a-z0-9_-]{0,99}$/;
const MAX_STATS_DAYS = 366;

/**
 * The segment admin API (admin token required). Described by the hand-maintained
 * `openapi.json` next to this file, served at GET /admin/segments/openapi.json — change both
 * together (segmentation.int-spec.ts checks that every route here is in the document).
 */
@Controller('admin/segments')
@UseGuards(AdminTokenGuard)
export class SegmentationController {
  constructor(private readonly segments: SegmentAdminService) {}

  @Get('openapi.json')
  openApi(): unknown {
    return openApiDocument;
  }

  @Get()
  async list(@Query('includeDeleted') includeDeleted?: string): Promise<SegmentView[]> {
    return this.segments.list(includeDeleted === 'true');
  }

  @Post()
  async create(@Body() body: unknown): Promise<SegmentView> {
    return httpErrors(() => this.segments.create(body));
  }

  @Post('validate')
  @HttpCode(200)
  async validate(@Body() body: unknown): Promise<ValidationView> {
    return this.segments.validate(body);
  }

  @Post('preview')
  @HttpCode(200)
  async preview(@Body() body: unknown): Promise<PreviewView> {
    return httpErrors(() => this.segments.preview(body));
  }

  @Get(':id')
  async get(@Param('id') id: string): Promise<SegmentView> {
    return httpErrors(() => this.segments.get(checkId(id)));
  }

  @Put(':id')
  async update(@Param('id') id: string, @Body() body: unknown): Promise<SegmentView> {
    return httpErrors(() => this.segments.update(checkId(id), body));
  }

  @Delete(':id')
  async remove(@Param('id') id: string): Promise<SegmentView> {
    return httpErrors(() => this.segments.remove(checkId(id)));
  }

  @Get(':id/stats')
  async stats(@Param('id') id: string, @Query('days') days?: string): Promise<StatsView> {
    const n = days === undefined ? 30 : Number(days);
    if (!Number.isInteger(n) || n < 1 || n > MAX_STATS_DAYS)
      throw new BadRequestException(`days must be a whole number from 1 to ${MAX_STATS_DAYS}`);
    return httpErrors(() => this.segments.stats(checkId(id), n));
  }
}

function checkId(id: string): string {
  if (!SEGMENT_ID.test(id))
    throw new BadRequestException(
      `segment id must be lower-case letters, digits, "-" or "_" (at most 100), got "${id}"`,
    );
  return id;
}

/** The feature's exceptions as HTTP answers: what was wrong, where, and what to do instead. */
async function httpErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof SegmentationException)) throw error;
    throw toHttp(error);
  }
}

function toHttp(error: SegmentationException): HttpException {
  const body = {
    code: error.code,
    message: error.message,
    ...(error.issues.length > 0 ? { issues: error.issues } : {}),
  };
  switch (error.code) {
    case SegmentationErrorCode.SegmentNotFound:
      return new NotFoundException(body);
    case SegmentationErrorCode.SegmentExists:
    case SegmentationErrorCode.SegmentInUse:
    case SegmentationErrorCode.StaticSegmentImmutable:
      return new ConflictException(body);
    default:
      return new BadRequestException(body);
  }
}
