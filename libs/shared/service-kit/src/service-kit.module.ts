import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CLOCK, ControllableClock, SystemClock } from '@kairos/clock';
import type { KairosConfig } from '@kairos/config';
import { AdminTokenGuard } from './admin-token.guard';
import { ClockController } from './clock.controller';
import { HealthController } from './health.controller';
import { KAIROS_CONFIG } from './tokens';

/** What every service has: its config, the Clock, health, and the admin-token guard. */
@Global()
@Module({})
export class ServiceKitModule {
  static forRoot(config: KairosConfig): DynamicModule {
    const controllable = config.clock.mode === 'controllable';
    return {
      module: ServiceKitModule,
      controllers: controllable ? [HealthController, ClockController] : [HealthController],
      providers: [
        { provide: KAIROS_CONFIG, useValue: config },
        { provide: CLOCK, useValue: controllable ? new ControllableClock() : new SystemClock() },
        AdminTokenGuard,
      ],
      exports: [KAIROS_CONFIG, CLOCK, AdminTokenGuard],
    };
  }
}
