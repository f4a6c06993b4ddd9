import { Module, type DynamicModule } from '@nestjs/common';
import { EvaluateModelsUseCase } from './evaluate-models.use-case';
import { HotRecommendationsRepository } from './hot-recommendations.repository';
import { InteractionEventEntity } from './interaction-event.entity';
import { InteractionEntity } from './interaction.entity';
import { InteractionRepository } from './interaction.repository';
import { MergeProfilesUseCase } from './merge-profiles.use-case';
import { CreateRecommenderTables1763880000000 } from './migrations/1763880000000-CreateRecommenderTables';
import { InteractionEventsAndModelRegistry1795600000000 } from './migrations/1795600000000-InteractionEventsAndModelRegistry';
import { ModelArtifactEntity } from './model-artifact.entity';
import { ModelEvaluationEntity } from './model-evaluation.entity';
import { ModelRunEntity } from './model-run.entity';
import { ModelRunRepository } from './model-run.repository';
import { ModelStore } from './model-store';
import { ProductPopularityEntity } from './product-popularity.entity';
import { ProductEntity } from './product.entity';
import { ProductRepository } from './product.repository';
import { RecommenderAdminController } from './recommender-admin.controller';
import {
  RECOMMENDER_SETTINGS,
  loadRecommenderSettings,
  type RecommenderSettings,
} from './recommender.config';
import { RecommenderConsumer } from './recommender.consumer';
import { RecommenderController } from './recommender.controller';
import { RecordInteractionsUseCase } from './record-interactions.use-case';
import { RefreshRecommendationsService } from './refresh-recommendations.service';
import { TrainModelsUseCase } from './train-models.use-case';
import { TrainingDataRepository } from './training-data.repository';
import { TrainingScheduler } from './training-scheduler';
import { UpsertProductUseCase } from './upsert-product.use-case';

export const RECOMMENDER_ENTITIES = [
  ProductEntity,
  InteractionEntity,
  ProductPopularityEntity,
  InteractionEventEntity,
  ModelRunEntity,
  ModelArtifactEntity,
  ModelEvaluationEntity,
];
export const RECOMMENDER_MIGRATIONS = [
  CreateRecommenderTables1763880000000,
  InteractionEventsAndModelRegistry1795600000000,
];

/** What both the service and the command-line jobs need (no Kafka, no HTTP, no schedule). */
export const RECOMMENDER_CORE_PROVIDERS = [
  ProductRepository,
  InteractionRepository,
  TrainingDataRepository,
  ModelRunRepository,
  HotRecommendationsRepository,
  ModelStore,
  RefreshRecommendationsService,
  TrainModelsUseCase,
  EvaluateModelsUseCase,
];

/**
 * Recommender: keeps the catalog copy and the implicit-feedback interactions, trains the models
 * (on a schedule, by command, or by the admin endpoint), and writes each profile's top N to
 * Redis after training and after each of its events (folded in against the trained model, or
 * from popularity and categories before there is one). It publishes nothing to Kafka, so it runs
 * no outbox relay (the outbox tables exist for the inbox, `processed_events`).
 *
 * Settings come from the environment (KAIROS_RECOMMENDER_*); tests pass them with
 * {@link RecommenderFeatureModule.withSettings}.
 */
@Module({
  controllers: [RecommenderConsumer, RecommenderController, RecommenderAdminController],
  providers: [
    { provide: RECOMMENDER_SETTINGS, useFactory: () => loadRecommenderSettings() },
    ...RECOMMENDER_CORE_PROVIDERS,
    RecordInteractionsUseCase,
    UpsertProductUseCase,
    MergeProfilesUseCase,
    TrainingScheduler,
  ],
})
export class RecommenderFeatureModule {
  /** The same module with explicit settings instead of the environment's. */
  static withSettings(settings: RecommenderSettings): DynamicModule {
    return {
      module: RecommenderFeatureModule,
      providers: [{ provide: RECOMMENDER_SETTINGS, useValue: settings }],
    };
  }
}
