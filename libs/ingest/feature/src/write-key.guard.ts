import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { IngestHttpException } from './http-error';
import { WriteKeys } from './write-keys';

/** Nest token for the configured {@link WriteKeys}. */
export const WRITE_KEYS = Symbol('kairos.ingest.write-keys');

/**
 * Every `/v1/*` call needs a valid write key. The body pipeline (see IngestHttpPipeline) checks
 * it before reading the body; this guard checks again at the route, so a route can never be
 * reached unauthenticated even if the pipeline were not mounted.
 */
@Injectable()
export class WriteKeyGuard implements CanActivate {
  constructor(@Inject(WRITE_KEYS) private readonly keys: WriteKeys) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const result = this.keys.check(request.headers.authorization);
    if (!result.ok) throw new IngestHttpException(401, result.message);
    return true;
  }
}
