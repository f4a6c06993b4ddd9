import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * Routes TypeORM's own messages (migrations, warnings) to the Nest logger and drops SQL:
 * statements and their parameters carry PII, and a failed query's error reaches its caller
 * anyway, which decides what to log.
 */
export class PersistenceLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('Persistence');

  logQuery(): void {}

  logQueryError(): void {}

  logQuerySlow(time: number): void {
    this.logger.warn(`A query took ${time} ms`);
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
  }
}
