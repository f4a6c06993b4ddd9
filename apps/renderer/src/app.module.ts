import { Module, type DynamicModule } from '@nestjs/common';
import type { KairosConfig } from '@kairos/config';
import { HotStoreModule } from '@kairos/hot-store';
import { MessagingModule } from '@kairos/messaging';
import { PersistenceModule } from '@kairos/persistence';
import { ServiceKitModule } from '@kairos/service-kit';
import {
  RendererFeatureModule,
  RENDERER_ENTITIES,
  RENDERER_MIGRATIONS,
} from '@kairos/renderer/feature';

@Module({})
export class AppModule {
  static register(config: KairosConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot(config),
        MessagingModule.forRoot({ ...config.kafka, source: 'kairos/renderer' }),
        HotStoreModule.forRoot(config.redis),
        PersistenceModule.forRoot({
          url: config.postgres.url,
          schema: config.postgres.schema,
          poolSize: config.postgres.poolSize,
          migrateOnStart: config.postgres.migrateOnStart,
          entities: RENDERER_ENTITIES,
          migrations: RENDERER_MIGRATIONS,
        }),
        RendererFeatureModule,
      ],
    };
  }
}
