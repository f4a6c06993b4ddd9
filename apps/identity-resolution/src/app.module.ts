import { Module, type DynamicModule } from '@nestjs/common';
import type { KairosConfig } from '@kairos/config';
import { HotStoreModule } from '@kairos/hot-store';
import { MessagingModule } from '@kairos/messaging';
import { PersistenceModule } from '@kairos/persistence';
import { ServiceKitModule } from '@kairos/service-kit';
import {
  IdentityFeatureModule,
  IDENTITY_ENTITIES,
  IDENTITY_MIGRATIONS,
} from '@kairos/identity/feature';

@Module({})
export class AppModule {
  static register(config: KairosConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot(config),
        MessagingModule.forRoot({ ...config.kafka, source: 'kairos/identity-resolution' }),
        HotStoreModule.forRoot(config.redis),
        PersistenceModule.forRoot({
          url: config.postgres.url,
          schema: config.postgres.schema,
          poolSize: config.postgres.poolSize,
          migrateOnStart: config.postgres.migrateOnStart,
          entities: IDENTITY_ENTITIES,
          migrations: IDENTITY_MIGRATIONS,
        }),
        IdentityFeatureModule,
      ],
    };
  }
}
