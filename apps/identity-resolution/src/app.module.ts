import type { DynamicModule } from '@nestjs/common';
import type { KairosConfig } from '@kairos/config';
import { KairosServiceModule } from '@kairos/service-kit';
import {
  IdentityFeatureModule,
  IDENTITY_ENTITIES,
  IDENTITY_MIGRATIONS,
} from '@kairos/identity/feature';

/** The identity-resolution service: the shared service modules around its feature. */
export const AppModule = {
  register: (config: KairosConfig): DynamicModule =>
    KairosServiceModule.register({
      config,
      feature: IdentityFeatureModule,
      persistence: { entities: IDENTITY_ENTITIES, migrations: IDENTITY_MIGRATIONS },
    }),
};
