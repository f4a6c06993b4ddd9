import { Module, type DynamicModule } from '@nestjs/common';
import type { KairosConfig } from '@kairos/config';
import { HotStoreModule } from '@kairos/hot-store';
import { MessagingModule } from '@kairos/messaging';
import { PersistenceModule } from '@kairos/persistence';
import { ServiceKitModule } from '@kairos/service-kit';
import {
  SegmentationFeatureModule,
  SEGMENTATION_ENTITIES,
  SEGMENTATION_MIGRATIONS,
} from '@kairos/segmentation/feature';

@Module({})
export class AppModule {
  static register(config: KairosConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot(config),
        MessagingModule.forRoot({ ...config.kafka, source: 'kairos/segmentation' }),
        HotStoreModule.forRoot(config.redis),
        PersistenceModule.forRoot({
          url: config.postgres.url,
          schema: config.postgres.schema,
          poolSize: config.postgres.poolSize,
          migrateOnStart: config.postgres.migrateOnStart,
          entities: SEGMENTATION_ENTITIES,
          migrations: SEGMENTATION_MIGRATIONS,
        }),
        SegmentationFeatureModule,
      ],
    };
  }
}
