import type { DynamicModule } from '@nestjs/common';
import type { KairosConfig } from '@kairos/config';
import { KairosServiceModule } from '@kairos/service-kit';
import {
  RecommenderFeatureModule,
  RECOMMENDER_ENTITIES,
  RECOMMENDER_MIGRATIONS,
} from '@kairos/recommender/feature';

/** The recommender service: the shared service modules around its feature. */
export const AppModule = {
  register: (config: KairosConfig): DynamicModule =>
    KairosServiceModule.register({
      config,
      feature: RecommenderFeatureModule,
      persistence: { entities: RECOMMENDER_ENTITIES, migrations: RECOMMENDER_MIGRATIONS },
    }),
};
