import { createDataSource, prepareDatabase, revertLastMigration } from '@kairos/persistence';
import { dropSchema, pgQuery, testStack, uniqueName } from '@kairos/testing';
import { SCHEDULER_ENTITIES, SCHEDULER_MIGRATIONS } from './index';

async function tablesIn(schema: string): Promise<string[]> {
  const rows = await pgQuery<{ table_name: string }>(
    'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
    [schema],
  );
  return rows.map((r) => r.table_name);
}

describe('scheduler migrations', () => {
  const schema = uniqueName('scheduler_mig');
  const dataSource = createDataSource({
    url: testStack.postgresUrl,
    schema,
    entities: SCHEDULER_ENTITIES,
    migrations: SCHEDULER_MIGRATIONS,
  });

  afterAll(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    await dropSchema(schema);
  });

  it('go up, all the way down, and up again', async () => {
    expect(await prepareDatabase(dataSource)).toHaveLength(SCHEDULER_MIGRATIONS.length);
    expect(await tablesIn(schema)).toEqual([
      'decisions',
      'firings',
      'migrations',
      'outbox',
      'processed_events',
      'profile_activity',
      'profiles',
      'timers',
      'trigger_definitions',
    ]);
    for (let i = 0; i < SCHEDULER_MIGRATIONS.length; i++) await revertLastMigration(dataSource);
    expect(await tablesIn(schema)).toEqual(['migrations']);
    expect(await prepareDatabase(dataSource)).toHaveLength(SCHEDULER_MIGRATIONS.length);
  });
});
