import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  HttpException,
  NotFoundException,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { AdminTokenGuard } from '@kairos/service-kit';
import { IdentityErrorCode, IdentityException } from './identity.exception';
import { ProfileAdminService, type ProfileView } from './profile-admin.service';
import { UnmergeUseCase, type UnmergeResult } from './unmerge.use-case';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface UnmergeBody {
  reason?: unknown;
}

/**
 * The identity admin API (admin token required): look profiles up by id or by any identifier,
 * and undo a wrong merge. Answers contain PII, so only operators get them; nothing here is
 * logged beyond ids (the identifier look-up's query string is redacted from traces).
 */
@Controller('admin')
@UseGuards(AdminTokenGuard)
export class IdentityAdminController {
  constructor(
    private readonly profiles: ProfileAdminService,
    private readonly unmerge: UnmergeUseCase,
  ) {}

  @Get('profiles')
  async find(
    @Query('identifierType') type: unknown,
    @Query('value') value: unknown,
  ): Promise<ProfileView> {
    if (typeof type !== 'string' || type === '' || typeof value !== 'string' || value === '') {
      throw new BadRequestException(
        'give one identifier: ?identifierType=<user_id|email|phone|anonymous_id>&value=<value>',
      );
    }
    return httpErrors(() => this.profiles.byIdentifier(type, value));
  }

  @Get('profiles/:id')
  async get(@Param('id') id: string): Promise<ProfileView> {
    if (!UUID.test(id)) throw new BadRequestException(`profile id must be a UUID, got "${id}"`);
    return httpErrors(() => this.profiles.byId(id.toLowerCase()));
  }

  @Post('merges/:mergeId/unmerge')
  @HttpCode(200)
  async revert(
    @Param('mergeId') mergeId: string,
    @Body() body: UnmergeBody | undefined,
  ): Promise<UnmergeResult> {
    if (!UUID.test(mergeId))
      throw new BadRequestException(`merge id must be a UUID, got "${mergeId}"`);
    const reason = body?.reason;
    if (reason !== undefined && typeof reason !== 'string')
      throw new BadRequestException('reason, when given, must be a string');
    return httpErrors(() => this.unmerge.execute(mergeId.toLowerCase(), reason ?? null));
  }
}

/** The feature's exceptions as HTTP answers: what was wrong, and what to do instead. */
async function httpErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof IdentityException)) throw error;
    throw toHttp(error);
  }
}

function toHttp(error: IdentityException): HttpException {
  const body = { code: error.code, message: error.message };
  switch (error.code) {
    case IdentityErrorCode.ProfileNotFound:
    case IdentityErrorCode.MergeNotFound:
      return new NotFoundException(body);
    case IdentityErrorCode.MergeAlreadyReverted:
    case IdentityErrorCode.SurvivorMergedAway:
    case IdentityErrorCode.NoSnapshot:
      return new ConflictException(body);
    case IdentityErrorCode.InvalidRequest:
      return new BadRequestException(body);
  }
}
