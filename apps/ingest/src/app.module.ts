import { Module, type DynamicModule } from '@nestjs/common';
import type { KairosConfig } from '@kairos/config';
import { HotStoreModule } from '@kairos/hot-store';
import { MessagingModule } from '@kairos/messaging';

import { ServiceKitModule } from '@kairos/service-kit';
import { IngestFeatureModule } from '@kairos/ingest/feature';

@Module({})
export class AppModule {
  static register(config: KairosConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot(config),
        MessagingModule.forRoot({ ...config.kafka, source: 'kairos/ingest' }),
        HotStoreModule.forRoot(config.redis),

        IngestFeatureModule,
      ],
    };
  }
}
