import { pgQuery, uniqueName, dropSchema } from '@kairos/testing';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { prepareDatabase, revertLastMigration, schemaOf } from './data-source';
import { runMigrationsCli } from './migrations-cli';
import { Cleanup, CreateOutboxTables1700000000000, testDataSource } from './testing/fixtures';

class CreateWidgets1700000000001 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "${schemaOf(q)}".widgets (id int PRIMARY KEY)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "${schemaOf(q)}".widgets`);
  }
}

/** Creates a table, then fails: its transaction must leave no trace. */
class Broken1700000000002 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "${schemaOf(q)}".half_done (id int)`);
    await q.query('SELECT 1/0');
  }
  async down(): Promise<void> {}
}

async function tablesIn(schema: string): Promise<string[]> {
  const rows = await pgQuery<{ table_name: string }>(
    'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
    [schema],
  );
  return rows.map((r) => r.table_name);
}

async function appliedIn(schema: string): Promise<string[]> {
  const rows = await pgQuery<{ name: string }>(
    `SELECT name FROM "${schema}".migrations ORDER BY id`,
  );
  return rows.map((r) => r.name);
}

describe('migrations', () => {
  const cleanup = new Cleanup();
  const output = { lines: [] as string[], errors: [] as string[] };
  const io = {
    log: (l: string) => output.lines.push(l),
    error: (l: string) => output.errors.push(l),
  };

  afterAll(() => cleanup.run());
  afterEach(() => {
    process.exitCode = undefined;
    output.lines = [];
    output.errors = [];
  });

  function schemaWith(migrations: Parameters<typeof testDataSource>[1]): {
    schema: string;
    dataSource: DataSource;
  } {
    const schema = uniqueName('pers');
    const dataSource = testDataSource(schema, migrations);
    cleanup.add(() => dropSchema(schema));
    cleanup.add(async () => dataSource.isInitialized && dataSource.destroy());
    return { schema, dataSource };
  }

  it('creates the schema, the outbox tables and the migrations table in the test schema, once', async () => {
    const { schema, dataSource } = schemaWith([
      CreateOutboxTables1700000000000,
      CreateWidgets1700000000001,
    ]);

    await expect(prepareDatabase(dataSource)).resolves.toEqual([
      'CreateOutboxTables1700000000000',
      'CreateWidgets1700000000001',
    ]);
    expect(await tablesIn(schema)).toEqual(['migrations', 'outbox', 'processed_events', 'widgets']);
    const indexes = await pgQuery<{ indexname: string; indexdef: string }>(
      'SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname',
      [schema],
    );
    expect(indexes.find((i) => i.indexname === 'outbox_unpublished_idx')?.indexdef).toMatch(
      /WHERE \(published_at IS NULL\)/,
    );
    expect(await tablesIn('public')).not.toContain('outbox');

    await expect(prepareDatabase(dataSource)).resolves.toEqual([]);
  });

  it('lets replicas that start together take turns: every migration runs exactly once', async () => {
    const { schema, dataSource } = schemaWith([
      CreateOutboxTables1700000000000,
      CreateWidgets1700000000001,
    ]);
    const second = testDataSource(schema, [
      CreateOutboxTables1700000000000,
      CreateWidgets1700000000001,
    ]);
    cleanup.add(async () => second.isInitialized && second.destroy());

    const [a, b] = await Promise.all([prepareDatabase(dataSource), prepareDatabase(second)]);
    expect([...a, ...b].sort()).toEqual([
      'CreateOutboxTables1700000000000',
      'CreateWidgets1700000000001',
    ]);
    expect(await appliedIn(schema)).toEqual([
      'CreateOutboxTables1700000000000',
      'CreateWidgets1700000000001',
    ]);
  });

  it('reverts the last migration, one at a time, down to nothing', async () => {
    const { schema, dataSource } = schemaWith([
      CreateOutboxTables1700000000000,
      CreateWidgets1700000000001,
    ]);
    await prepareDatabase(dataSource);

    await expect(revertLastMigration(dataSource)).resolves.toBe('CreateWidgets1700000000001');
    expect(await tablesIn(schema)).toEqual(['migrations', 'outbox', 'processed_events']);
    await expect(revertLastMigration(dataSource)).resolves.toBe('CreateOutboxTables1700000000000');
    expect(await tablesIn(schema)).toEqual(['migrations']);
    await expect(revertLastMigration(dataSource)).resolves.toBeUndefined();
  });

  it('runs and reverts from the CLI, printing what it did and closing the pool', async () => {
    const migrations = [CreateOutboxTables1700000000000, CreateWidgets1700000000001];
    const { schema } = schemaWith(migrations);
    const built: DataSource[] = [];
    const build = () => {
      const ds = testDataSource(schema, migrations);
      built.push(ds);
      return ds;
    };

    await expect(runMigrationsCli(build, ['node', 'migrate'], io)).resolves.toBe(0);
    expect(output.lines.join('\n')).toContain(
      `Applied 2 migration(s) to schema "${schema}":\n  CreateOutboxTables1700000000000\n  CreateWidgets1700000000001`,
    );
    await expect(runMigrationsCli(build, ['node', 'migrate', 'revert'], io)).resolves.toBe(0);
    expect(output.lines.at(-1)).toBe(`Reverted CreateWidgets1700000000001 in schema "${schema}".`);
    await expect(runMigrationsCli(build, ['node', 'migrate', 'run'], io)).resolves.toBe(0);
    await expect(runMigrationsCli(build, ['node', 'migrate'], io)).resolves.toBe(0);
    expect(output.lines.at(-1)).toBe(`Schema "${schema}" is up to date; no migrations pending.`);

    expect(output.errors).toEqual([]);
    expect(await appliedIn(schema)).toEqual([
      'CreateOutboxTables1700000000000',
      'CreateWidgets1700000000001',
    ]);
    expect(built.every((ds) => !ds.isInitialized)).toBe(true);
  });

  it('exits non-zero on a failing migration, which leaves no trace while earlier ones stay applied', async () => {
    const migrations = [CreateOutboxTables1700000000000, Broken1700000000002];
    const { schema } = schemaWith(migrations);

    await expect(
      runMigrationsCli(() => testDataSource(schema, migrations), ['node', 'migrate'], io),
    ).resolves.toBe(1);
    expect(process.exitCode).toBe(1);
    expect(output.errors.join('\n')).toMatch(
      /^Migration run failed: QueryFailedError: division by zero/,
    );
    expect(await appliedIn(schema)).toEqual(['CreateOutboxTables1700000000000']);
    expect(await tablesIn(schema)).toEqual(['migrations', 'outbox', 'processed_events']);
  });
});
