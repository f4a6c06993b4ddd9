import type { DynamicModule } from '@nestjs/common';
import type { KairosConfig } from '@kairos/config';
import { KairosServiceModule } from '@kairos/service-kit';
import { IngestFeatureModule } from '@kairos/ingest/feature';

/** The ingest service: the shared service modules around its feature (no Postgres). */
export const AppModule = {
  register: (config: KairosConfig): DynamicModule =>
    KairosServiceModule.register({ config, feature: IngestFeatureModule }),
};
