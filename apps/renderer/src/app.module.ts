import type { DynamicModule } from '@nestjs/common';
import type { KairosConfig } from '@kairos/config';
import { KairosServiceModule } from '@kairos/service-kit';
import {
  RendererFeatureModule,
  RENDERER_ENTITIES,
  RENDERER_MIGRATIONS,
} from '@kairos/renderer/feature';

/** The renderer service: the shared service modules around its feature. */
export const AppModule = {
  register: (config: KairosConfig): DynamicModule =>
    KairosServiceModule.register({
      config,
      feature: RendererFeatureModule,
      persistence: { entities: RENDERER_ENTITIES, migrations: RENDERER_MIGRATIONS },
    }),
};
