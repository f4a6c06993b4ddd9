import { Injectable } from '@nestjs/common';
import { RetriableError, errorMessage } from '@kairos/messaging';
import { DataSource } from 'typeorm';
import { HotRecommendationsRepository } from './hot-recommendations.repository';
import { InteractionRepository } from './interaction.repository';
import { ProductRepository } from './product.repository';
import { recommend, seedsOf, type Recommendation } from './recommend';

/** How many candidates each model reads from Postgres (far more than the top N it keeps). */
const CANDIDATES = 50;

/**
 * Recompute one profile's top N from the committed rows and write it to Redis. Popularity is a
 * plain aggregate (product_popularity) at skeleton scale; trained models replace the candidate
 * sources later without changing this flow.
 */
@Injectable()
export class RefreshRecommendationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly products: ProductRepository,
    private readonly interactions: InteractionRepository,
    private readonly hot: HotRecommendationsRepository,
  ) {}

  async refresh(profileId: string): Promise<Recommendation[]> {
    const manager = this.dataSource.manager;
    const history = await this.interactions.history(manager, profileId);
    const categories = [...new Set(seedsOf(history).map((seed) => seed.category ?? ''))].filter(
      Boolean,
    );
    const [popular, sameCategory] = await Promise.all([
      this.products.popular(manager, CANDIDATES),
      this.products.inCategories(manager, categories, CANDIDATES),
    ]);
    const recommendations = recommend({ popular, sameCategory, history });
    try {
      await this.hot.write(profileId, recommendations);
    } catch (error) {
      throw new RetriableError(
        'HOT_STORE_UNAVAILABLE',
        `writing recommendations of ${profileId} failed: ${errorMessage(error)}`,
      );
    }
    return recommendations;
  }
}
