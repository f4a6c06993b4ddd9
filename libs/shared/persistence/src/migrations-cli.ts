import type { DataSource } from 'typeorm';
import { dataSourceSchema, prepareDatabase, revertLastMigration } from './data-source';

export interface MigrationsCliOutput {
  log(line: string): void;
  error(line: string): void;
}

const consoleOutput: MigrationsCliOutput = {
  log: (line) => console.log(line),
  error: (line) => console.error(line),
};

const USAGE =
  'Usage: migrate [run|revert]  (run: apply pending migrations, the default; revert: undo the last one)';

/**
 * The body of each app's `migrate` entry point:
 *
 *   void runMigrationsCli(() => createDataSource({ ...loadConfig('ingest').postgres, entities, migrations }));
 *
 * `argv[2]` selects the command. Prints what ran; on failure prints why and sets a non-zero
 * exit code (1 = the migration failed, 2 = bad usage). Always closes the pool, so the process
 * ends by itself. Resolves to the exit code.
 */
export async function runMigrationsCli(
  buildDataSource: () => DataSource,
  argv: readonly string[] = process.argv,
  output: MigrationsCliOutput = consoleOutput,
): Promise<number> {
  const command = argv[2] ?? 'run';
  if (command !== 'run' && command !== 'revert') {
    output.error(`Unknown command "${command}". ${USAGE}`);
    return exitWith(2);
  }
  let dataSource: DataSource | undefined;
  try {
    dataSource = buildDataSource();
    const schema = dataSourceSchema(dataSource);
    if (command === 'run') {
      const ran = await prepareDatabase(dataSource);
      output.log(
        ran.length === 0
          ? `Schema "${schema}" is up to date; no migrations pending.`
          : `Applied ${ran.length} migration(s) to schema "${schema}":\n${ran.map((name) => `  ${name}`).join('\n')}`,
      );
    } else {
      const reverted = await revertLastMigration(dataSource);
      output.log(
        reverted
          ? `Reverted ${reverted} in schema "${schema}".`
          : `Schema "${schema}" has no applied migrations to revert.`,
      );
    }
    return exitWith(0);
  } catch (error) {
    // The failing migration's transaction was rolled back; the ones before it stay applied.
    // (The connection URL is never printed: it holds the password.)
    output.error(`Migration ${command} failed: ${describeError(error)}`);
    return exitWith(1);
  } finally {
    if (dataSource?.isInitialized) await dataSource.destroy().catch(() => undefined);
  }
}

function exitWith(code: number): number {
  process.exitCode = code;
  return code;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const detail = (error as { driverError?: { detail?: unknown } }).driverError?.detail;
  return `${error.name}: ${error.message}${typeof detail === 'string' ? ` (${detail})` : ''}`;
}
