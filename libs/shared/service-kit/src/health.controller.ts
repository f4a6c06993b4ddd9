import { Controller, Get, Inject } from '@nestjs/common';
import type { KairosConfig } from '@kairos/config';
import { KAIROS_CONFIG } from './tokens';

/** Liveness for orchestrators. Reveals nothing but the service name, so it needs no token. */
@Controller('health')
export class HealthController {
  constructor(@Inject(KAIROS_CONFIG) private readonly config: KairosConfig) {}

  @Get()
  health(): { status: 'ok'; service: string } {
    return { status: 'ok', service: this.config.service };
  }
}
