import { Module, type DynamicModule } from '@nestjs/common';
import type { KairosConfig } from '@kairos/config';
import { HotStoreModule } from '@kairos/hot-store';
import { PersistenceModule } from '@kairos/persistence';
import { ServiceKitModule } from '@kairos/service-kit';
import { ModelStore } from './model-store';
import { RECOMMENDER_SETTINGS, type RecommenderSettings } from './recommender.config';
import {
  RECOMMENDER_CORE_PROVIDERS,
  RECOMMENDER_ENTITIES,
  RECOMMENDER_MIGRATIONS,
} from './recommender.module';

/**
 * A model store that starts empty: a command trains or evaluates from the data, it never serves
 * the registry's model (loading it would read every event for nothing).
 */
class DetachedModelStore extends ModelStore {
  override async onModuleInit(): Promise<void> {}
}

/**
 * The recommender's jobs without Kafka, HTTP or schedule, for the `train` and `evaluate`
 * commands (Nest application context: `app.get(TrainModelsUseCase)`). Migrations run first when
 * the config says so, as in the service.
 */
@Module({})
export class RecommenderJobsModule {
  static register(config: KairosConfig, settings: RecommenderSettings): DynamicModule {
    return {
      module: RecommenderJobsModule,
      imports: [
        ServiceKitModule.forRoot(config),
        HotStoreModule.forRoot(config.redis),
        PersistenceModule.forRoot({
          url: config.postgres.url,
          schema: config.postgres.schema,
          poolSize: Math.min(config.postgres.poolSize, 4),
          migrateOnStart: config.postgres.migrateOnStart,
          applicationName: `kairos-${config.service}-jobs`,
          entities: RECOMMENDER_ENTITIES,
          migrations: RECOMMENDER_MIGRATIONS,
        }),
      ],
      providers: [
        { provide: RECOMMENDER_SETTINGS, useValue: settings },
        ...RECOMMENDER_CORE_PROVIDERS.filter((p) => p !== ModelStore),
        { provide: ModelStore, useClass: DetachedModelStore },
      ],
    };
  }
}
