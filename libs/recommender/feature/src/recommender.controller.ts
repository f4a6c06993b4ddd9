import {
  BadRequestException,
  Controller,
  Get,
  NotFoundException,
  Param,
  Query,
  UseGuards,
} from '@nestjs/common';
import { AdminTokenGuard } from '@kairos/service-kit';
import { parseGetRecommendations } from './dto/get-recommendations.dto';
import { HotRecommendationsRepository } from './hot-recommendations.repository';
import type { Recommendation } from './recommend';

export interface RecommendationsResponse {
  profileId: string;
  recommendations: Recommendation[];
}

/** Read a profile's current top N, as the renderer sees it (from Redis). Admin token needed. */
@Controller('recommendations')
@UseGuards(AdminTokenGuard)
export class RecommenderController {
  constructor(private readonly hot: HotRecommendationsRepository) {}

  @Get(':profileId')
  async get(
    @Param('profileId') profileId: string,
    @Query('n') n?: string,
  ): Promise<RecommendationsResponse> {
    const parsed = parseGetRecommendations(profileId, n);
    if (!parsed.ok) throw new BadRequestException(parsed.message);
    const stored = await this.hot.read(parsed.value.profileId);
    if (!stored) {
      throw new NotFoundException(
        `No recommendations for profile ${parsed.value.profileId} yet: they are computed after each event of the ` +
          'profile, once some available product has interactions.',
      );
    }
    return { profileId: parsed.value.profileId, recommendations: stored.slice(0, parsed.value.n) };
  }
}
