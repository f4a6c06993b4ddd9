import { timingSafeEqual } from 'node:crypto';
import {
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { KairosConfig } from '@kairos/config';
import type { Request } from 'express';
import { KAIROS_CONFIG } from './tokens';

/**
 * Every admin endpoint that reveals or changes data needs `Authorization: Bearer <token>`.
 * With no KAIROS_ADMIN_TOKEN configured the admin API is off (secure by default).
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected: Buffer | undefined;

  constructor(@Inject(KAIROS_CONFIG) config: KairosConfig) {
    this.expected = config.http.adminToken ? Buffer.from(config.http.adminToken) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) {
      throw new ForbiddenException(
        'The admin API is disabled: set KAIROS_ADMIN_TOKEN to enable it.',
      );
    }
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    if (!match)
      throw new UnauthorizedException(
        'Missing admin credentials: send "Authorization: Bearer <admin token>".',
      );
    const given = Buffer.from(match[1]);
    if (given.length !== this.expected.length || !timingSafeEqual(given, this.expected)) {
      throw new UnauthorizedException('Invalid admin token.');
    }
    return true;
  }
}
