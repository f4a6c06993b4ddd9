import { Module, type DynamicModule } from '@nestjs/common';
import type { KairosConfig } from '@kairos/config';
import { HotStoreModule } from '@kairos/hot-store';
import { MessagingModule } from '@kairos/messaging';
import { PersistenceModule } from '@kairos/persistence';
import { ServiceKitModule } from '@kairos/service-kit';
import {
  SchedulerFeatureModule,
  SCHEDULER_ENTITIES,
  SCHEDULER_MIGRATIONS,
} from '@kairos/scheduler/feature';

@Module({})
export class AppModule {
  static register(config: KairosConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot(config),
        MessagingModule.forRoot({ ...config.kafka, source: 'kairos/trigger-scheduler' }),
        HotStoreModule.forRoot(config.redis),
        PersistenceModule.forRoot({
          url: config.postgres.url,
          schema: config.postgres.schema,
          poolSize: config.postgres.poolSize,
          migrateOnStart: config.postgres.migrateOnStart,
          entities: SCHEDULER_ENTITIES,
          migrations: SCHEDULER_MIGRATIONS,
        }),
        SchedulerFeatureModule,
      ],
    };
  }
}
