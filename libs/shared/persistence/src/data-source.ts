import { Logger } from '@nestjs/common';
import {
  DataSource,
  MigrationExecutor,
  type EntitySchema,
  type MigrationInterface,
  type QueryRunner,
} from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { assertSqlIdentifier, quoteIdent } from './identifier';
import { PersistenceLogger } from './typeorm-logger';

/** An entity class (TypeORM accepts any constructor). */
export type EntityClass = abstract new (...args: never[]) => unknown;
/** A migration class: `<timestamp>-<Name>.ts` exporting `class <Name><13-digit timestamp>`. */
export type MigrationClass = new () => MigrationInterface;

export interface DataSourceSettings {
  /** postgres:// URL (from @kairos/config, never hard-coded). */
  url: string;
  /** The service's own schema; entities and the `migrations` table live there. */
  schema: string;
  entities: ReadonlyArray<EntityClass | EntitySchema>;
  migrations: readonly MigrationClass[];
  /** Pool size (pg's `max`); pg's default (10) when unset. */
  poolSize?: number;
  /** Shown in pg_stat_activity, so a DBA can tell the services' connections apart. */
  applicationName?: string;
}

const logger = new Logger('Persistence');

/**
 * A Postgres DataSource for one service schema. Schema changes happen only through migrations
 * (`synchronize` is never on, migrations never run implicitly on initialize); SQL is not logged,
 * because parameters carry PII.
 */
export function createDataSource(settings: DataSourceSettings): DataSource {
  const schema = assertSqlIdentifier(settings.schema, 'schema');
  // Only set what was given: `max: undefined` would override pg's default with nothing.
  const extra: Record<string, unknown> = {};
  if (settings.poolSize !== undefined) extra.max = settings.poolSize;
  if (settings.applicationName !== undefined) extra.application_name = settings.applicationName;
  return new DataSource({
    type: 'postgres',
    url: settings.url,
    schema,
    entities: [...settings.entities],
    migrations: [...settings.migrations],
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    dropSchema: false,
    logging: false,
    logger: new PersistenceLogger(),
    extra,
    // An idle pooled connection that dies (e.g. Postgres restarted) must not crash the service;
    // pg replaces it on the next checkout.
    poolErrorHandler: (error: unknown) =>
      logger.warn(
        `Idle Postgres connection failed: ${error instanceof Error ? error.message : String(error)}`,
      ),
  });
}

/** The schema a DataSource built by {@link createDataSource} works in. */
export function dataSourceSchema(dataSource: DataSource): string {
  return assertSqlIdentifier(
    (dataSource.options as PostgresConnectionOptions).schema,
    'DataSource schema',
  );
}

/**
 * The schema a migration runs against. Migrations are schema-parametric (every test and every
 * service instance may use its own schema), so they read it from the connection they run on
 * instead of hard-coding it: `await q.query(\`CREATE TABLE "${schemaOf(q)}".thing (...)\`)`.
 */
export function schemaOf(queryRunner: QueryRunner): string {
  return dataSourceSchema(queryRunner.connection);
}

/**
 * Create the schema if needed and run pending migrations, each in its own transaction (a failed
 * migration leaves the ones before it applied and itself not applied). Returns the names run.
 *
 * Several replicas may start at once with migrate-on-start: a session advisory lock per schema
 * makes them take turns, so the later ones find nothing pending instead of racing on DDL.
 */
export async function prepareDatabase(dataSource: DataSource): Promise<string[]> {
  return withMigrationLock(dataSource, async (executor) => {
    const ran = await executor.executePendingMigrations();
    return ran.map((migration) => migration.name);
  });
}

/** Undo the most recently applied migration; returns its name, or undefined if none was applied. */
export async function revertLastMigration(dataSource: DataSource): Promise<string | undefined> {
  return withMigrationLock(dataSource, async (executor) => {
    // Newest first (TypeORM orders executed migrations by id, descending).
    const [last] = await executor.getExecutedMigrations();
    if (!last) return undefined;
    await executor.undoLastMigration();
    return last.name;
  });
}

async function withMigrationLock<T>(
  dataSource: DataSource,
  work: (executor: MigrationExecutor) => Promise<T>,
): Promise<T> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  const schema = dataSourceSchema(dataSource);
  const lockKey = `${schema}.migrations`;
  // Everything runs on this one connection, the one holding the lock, so a pool of size 1
  // cannot deadlock against itself.
  const queryRunner = dataSource.createQueryRunner();
  try {
    await queryRunner.connect();
    await queryRunner.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    try {
      await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema, 'schema')}`);
      const executor = new MigrationExecutor(dataSource, queryRunner);
      executor.transaction = 'each';
      return await work(executor);
    } finally {
      // If this fails the session is broken, and Postgres drops a dead session's locks itself.
      await queryRunner
        .query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey])
        .catch((error: unknown) =>
          logger.warn(`Could not release the migration lock: ${String(error)}`),
        );
    }
  } finally {
    await queryRunner.release();
  }
}
