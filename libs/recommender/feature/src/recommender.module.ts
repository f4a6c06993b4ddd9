import { Module } from '@nestjs/common';
import { HotRecommendationsRepository } from './hot-recommendations.repository';
import { InteractionEntity } from './interaction.entity';
import { InteractionRepository } from './interaction.repository';
import { CreateRecommenderTables1763880000000 } from './migrations/1763880000000-CreateRecommenderTables';
import { ProductPopularityEntity } from './product-popularity.entity';
import { ProductEntity } from './product.entity';
import { ProductRepository } from './product.repository';
import { RecommenderConsumer } from './recommender.consumer';
import { RecommenderController } from './recommender.controller';
import { RecordInteractionsUseCase } from './record-interactions.use-case';
import { RefreshRecommendationsService } from './refresh-recommendations.service';
import { UpsertProductUseCase } from './upsert-product.use-case';

export const RECOMMENDER_ENTITIES = [ProductEntity, InteractionEntity, ProductPopularityEntity];
export const RECOMMENDER_MIGRATIONS = [CreateRecommenderTables1763880000000];

/**
 * Recommender: keeps the catalog copy and the implicit-feedback interactions, and writes each
 * profile's top N to Redis after its events. It publishes nothing to Kafka, so it runs no outbox
 * relay (the outbox tables exist for the inbox, `processed_events`, and for later use).
 */
@Module({
  controllers: [RecommenderConsumer, RecommenderController],
  providers: [
    ProductRepository,
    InteractionRepository,
    HotRecommendationsRepository,
    RefreshRecommendationsService,
    RecordInteractionsUseCase,
    UpsertProductUseCase,
  ],
})
export class RecommenderFeatureModule {}
