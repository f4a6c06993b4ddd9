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
import { DataSource } from 'typeorm';
import {
  DecideMatchReviewUseCase,
  type ReviewDecisionResult,
} from './decide-match-review.use-case';
import { IdentityErrorCode, IdentityException } from './identity.exception';
import type { ComparisonSummary } from './domain/profile-matching';
import type { MatchReviewStatus } from './match-review.entity';
import { MatchReviewRepository } from './match-review.repository';
import { ProfileAdminService, type ProfileView } from './profile-admin.service';
import { UnmergeUseCase, type UnmergeResult } from './unmerge.use-case';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface UnmergeBody {
  reason?: unknown;
}

const REVIEW_STATUSES: readonly MatchReviewStatus[] = ['open', 'merged', 'rejected'];
const MAX_REVIEWS_LISTED = 500;

/** A match review as the admin API lists it (ids and per-field levels only; no PII). */
export interface MatchReviewView {
  id: string;
  profileA: string;
  profileB: string;
  score: number;
  comparisons: ComparisonSummary;
  status: MatchReviewStatus;
  createdAt: string;
  decidedAt: string | null;
}

/**
 * The identity admin API (admin token required): look profiles up by id or by any identifier,
 * undo a wrong merge, and work the probabilistic-match review queue. Answers contain PII, so only operators get them; nothing here is
 * logged beyond ids (the identifier look-up's query string is redacted from traces).
 */
@Controller('admin')
@UseGuards(AdminTokenGuard)
export class IdentityAdminController {
  constructor(
    private readonly profiles: ProfileAdminService,
    private readonly unmerge: UnmergeUseCase,
    private readonly decideReview: DecideMatchReviewUseCase,
    private readonly reviews: MatchReviewRepository,
    private readonly dataSource: DataSource,
  ) {}

  /** The review queue: `?status=open|merged|rejected` (default open), oldest first. */
  @Get('match-reviews')
  async listReviews(
    @Query('status') status: unknown,
    @Query('limit') limit: unknown,
  ): Promise<{ reviews: MatchReviewView[] }> {
    const wanted = status === undefined ? 'open' : status;
    if (typeof wanted !== 'string' || !REVIEW_STATUSES.includes(wanted as MatchReviewStatus))
      throw new BadRequestException(`status must be one of ${REVIEW_STATUSES.join(', ')}`);
    const n = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > MAX_REVIEWS_LISTED)
      throw new BadRequestException(`limit must be a whole number from 1 to ${MAX_REVIEWS_LISTED}`);
    const rows = await this.reviews.list(this.dataSource.manager, wanted as MatchReviewStatus, n);
    return {
      reviews: rows.map((r) => ({
        id: r.id,
        profileA: r.profileA,
        profileB: r.profileB,
        score: r.score,
        comparisons: r.comparisons,
        status: r.status,
        createdAt: r.createdAt.toISOString(),
        decidedAt: r.decidedAt?.toISOString() ?? null,
      })),
    };
  }

  @Post('match-reviews/:id/merge')
  @HttpCode(200)
  async mergeReview(@Param('id') id: string): Promise<ReviewDecisionResult> {
    if (!UUID.test(id)) throw new BadRequestException(`review id must be a UUID, got "${id}"`);
    return httpErrors(() => this.decideReview.merge(id.toLowerCase()));
  }

  @Post('match-reviews/:id/reject')
  @HttpCode(200)
  async rejectReview(@Param('id') id: string): Promise<ReviewDecisionResult> {
    if (!UUID.test(id)) throw new BadRequestException(`review id must be a UUID, got "${id}"`);
    return httpErrors(() => this.decideReview.reject(id.toLowerCase()));
  }

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
    case IdentityErrorCode.ReviewNotFound:
      return new NotFoundException(body);
    case IdentityErrorCode.MergeAlreadyReverted:
    case IdentityErrorCode.SurvivorMergedAway:
    case IdentityErrorCode.NoSnapshot:
    case IdentityErrorCode.ReviewDecided:
    case IdentityErrorCode.MergeRefused:
      return new ConflictException(body);
    case IdentityErrorCode.InvalidRequest:
      return new BadRequestException(body);
  }
}
