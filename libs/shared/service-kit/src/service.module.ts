import { Module, type DynamicModule, type Type } from '@nestjs/common';
import type { KairosConfig } from '@kairos/config';
import { HotStoreModule } from '@kairos/hot-store';
import { MessagingModule } from '@kairos/messaging';
import { PersistenceModule, type DataSourceSettings } from '@kairos/persistence';
import { ServiceKitModule } from './service-kit.module';

export interface KairosServiceOptions {
  config: KairosConfig;
  /** The service's feature module (its consumers, controllers and use cases). */
  feature: Type<unknown> | DynamicModule;
  /** The service's Postgres entities and migrations; omit for a service without Postgres. */
  persistence?: Pick<DataSourceSettings, 'entities' | 'migrations'>;
}

/**
 * The root module every Kairos service shares: config, Clock, health and admin guard; the
 * Kafka publisher; the Redis hot store; the service's own Postgres schema; and its feature.
 * Apps and in-process integration tests compose services through this one place.
 */
@Module({})
export class KairosServiceModule {
  static register({ config, feature, persistence }: KairosServiceOptions): DynamicModule {
    return {
      module: KairosServiceModule,
      imports: [
        ServiceKitModule.forRoot(config),
        MessagingModule.forRoot({ ...config.kafka, source: `kairos/${config.service}` }),
        HotStoreModule.forRoot(config.redis),
        ...(persistence
          ? [
              PersistenceModule.forRoot({
                url: config.postgres.url,
                schema: config.postgres.schema,
                poolSize: config.postgres.poolSize,
                migrateOnStart: config.postgres.migrateOnStart,
                applicationName: `kairos-${config.service}`,
                ...persistence,
              }),
            ]
          : []),
        feature,
      ],
    };
  }
}
