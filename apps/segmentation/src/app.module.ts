import type { DynamicModule } from '@nestjs/common';
import type { KairosConfig } from '@kairos/config';
import { KairosServiceModule } from '@kairos/service-kit';
import {
  SegmentationFeatureModule,
  SEGMENTATION_ENTITIES,
  SEGMENTATION_MIGRATIONS,
} from '@kairos/segmentation/feature';

/** The segmentation service: the shared service modules around its feature. */
export const AppModule = {
  register: (config: KairosConfig): DynamicModule =>
    KairosServiceModule.register({
      config,
      feature: SegmentationFeatureModule,
      persistence: { entities: SEGMENTATION_ENTITIES, migrations: SEGMENTATION_MIGRATIONS },
    }),
};
