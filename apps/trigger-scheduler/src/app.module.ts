import type { DynamicModule } from '@nestjs/common';
import type { KairosConfig } from '@kairos/config';
import { KairosServiceModule } from '@kairos/service-kit';
import {
  SchedulerFeatureModule,
  SCHEDULER_ENTITIES,
  SCHEDULER_MIGRATIONS,
} from '@kairos/scheduler/feature';

/** The trigger-scheduler service: the shared service modules around its feature. */
export const AppModule = {
  register: (config: KairosConfig): DynamicModule =>
    KairosServiceModule.register({
      config,
      feature: SchedulerFeatureModule,
      persistence: { entities: SCHEDULER_ENTITIES, migrations: SCHEDULER_MIGRATIONS },
    }),
};
