import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import { RetriableError, errorMessage } from '@kairos/messaging';
import { DataSource } from 'typeorm';
import { HotRecommendationsRepository } from './hot-recommendations.repository';
import { InteractionRepository } from './interaction.repository';
import { ModelStore } from './model-store';
import { ProductRepository } from './product.repository';
import { recommend, seedsOf, type Recommendation } from './recommend';
import { RECOMMENDER_SETTINGS, type RecommenderSettings } from './recommender.config';
import { historyFromEvents } from './trained-model';

/** How many candidates each fallback source reads from Postgres (far more than the top N). */
const CANDIDATES = 50;

/**
 * Recompute one profile's top N from the committed rows and write it to Redis.
 *
 * With a trained model: the profile's events are weighed and decayed at the Clock's now, its
 * user vector is folded in against the model's item factors (no retraining) and the hybrid ranks
 * the catalogue. Recently emailed items are not excluded yet: the renderer does not report what
 * it sent, so that input is empty.
 *
 * Before any model exists: the aggregate popularity plus same-category items (the skeleton's
 * behaviour), so recommendations work from the first event.
 */
@Injectable()
export class RefreshRecommendationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly products: ProductRepository,
    private readonly interactions: InteractionRepository,
    private readonly hot: HotRecommendationsRepository,
    private readonly models: ModelStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RECOMMENDER_SETTINGS) private readonly settings: RecommenderSettings,
  ) {}

  async refresh(profileId: string): Promise<Recommendation[]> {
    const model = this.models.current;
    const recommendations = model
      ? await this.fromModel(profileId)
      : await this.fromAggregates(profileId);
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

  private async fromModel(profileId: string): Promise<Recommendation[]> {
    const events = await this.interactions.events(this.dataSource.manager, profileId);
    // Read the model after the await: a swap meanwhile must not mix two models' lists.
    const model = this.models.current;
    if (!model) return this.fromAggregates(profileId);
    this.models.noteRefreshed(profileId);
    const history = historyFromEvents(events, {
      halfLifeMs: model.parameters.interactionHalfLifeMs,
      referenceTime: this.clock.now().getTime(),
    });
    return model.recommend(history, this.settings.topN, { recentEmails: [] });
  }

  private async fromAggregates(profileId: string): Promise<Recommendation[]> {
    const manager = this.dataSource.manager;
    const history = await this.interactions.history(manager, profileId);
    const categories = [...new Set(seedsOf(history).map((seed) => seed.category ?? ''))].filter(
      Boolean,
    );
    const [popular, sameCategory] = await Promise.all([
      this.products.popular(manager, CANDIDATES),
      this.products.inCategories(manager, categories, CANDIDATES),
    ]);
    return recommend({ popular, sameCategory, history, n: this.settings.topN });
  }
}
