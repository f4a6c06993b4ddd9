import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createDataSource, prepareDatabase, type DataSourceSettings } from './data-source';
import { Outbox } from './outbox';
import { ProcessedEvents } from './processed-events';

export interface PersistenceModuleOptions extends DataSourceSettings {
  /** Run pending migrations before the app starts (KAIROS_PG_MIGRATE_ON_START). Default false. */
  migrateOnStart?: boolean;
}

/** Injection token for the options the module was configured with (e.g. to read the schema). */
export const PERSISTENCE_OPTIONS = Symbol('kairos.persistence.options');

/**
 * A service's Postgres access: `PersistenceModule.forRoot({ ...config.postgres, entities, migrations })`
 * in the root module, then inject `DataSource`, `Outbox` and `ProcessedEvents` anywhere (global).
 *
 * The DataSource is connected (and migrated when migrateOnStart) before any provider that needs
 * it is built, so the app does not accept traffic on a schema that is behind its code.
 */
@Module({})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  static forRoot(options: PersistenceModuleOptions): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      providers: [
        { provide: PERSISTENCE_OPTIONS, useValue: options },
        {
          provide: DataSource,
          useFactory: async () => {
            const dataSource = createDataSource(options);
            await dataSource.initialize();
            try {
              if (options.migrateOnStart) await prepareDatabase(dataSource);
            } catch (error) {
              await dataSource.destroy().catch(() => undefined);
              throw error;
            }
            return dataSource;
          },
        },
        { provide: Outbox, useFactory: () => new Outbox(options.schema) },
        { provide: ProcessedEvents, useFactory: () => new ProcessedEvents(options.schema) },
      ],
      exports: [PERSISTENCE_OPTIONS, DataSource, Outbox, ProcessedEvents],
    };
  }

  /**
   * Closed in the very last shutdown hook (after every onModuleDestroy and
   * beforeApplicationShutdown), so services can still drain their outbox relay or finish a
   * transaction while shutting down.
   */
  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
