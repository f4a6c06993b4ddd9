import { Catch, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Nest's default RPC exception filter replaces unknown errors with "Internal server error",
 * which would lose whether a retry can help and why a message was dead-lettered. This filter
 * hands the original error to the transport, which decides: retry, or dead-letter with reason.
 */
@Catch()
export class ErrorPassthroughFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}
