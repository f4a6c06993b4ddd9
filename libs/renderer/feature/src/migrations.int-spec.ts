import { createDataSource, prepareDatabase, revertLastMigration } from '@kairos/persistence';
import { dropSchema, pgQuery, testStack, uniqueName } from '@kairos/testing';
import { RENDERER_ENTITIES, RENDERER_MIGRATIONS } from './index';

async function tablesIn(schema: string): Promise<string[]> {
  const rows = await pgQuery<{ table_name: string }>(
    'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
    [schema],
  );
  return rows.map((r) => r.table_name);
}

describe('renderer migrations', () => {
  const schema = uniqueName('renderer_mig');
  const dataSource = createDataSource({
    url: testStack.postgresUrl,
    schema,
    entities: RENDERER_ENTITIES,
    migrations: RENDERER_MIGRATIONS,
  });

  afterAll(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    await dropSchema(schema);
  });

  it('go up, all the way down, and up again', async () => {
    expect(await prepareDatabase(dataSource)).toHaveLength(RENDERER_MIGRATIONS.length);
    expect(await tablesIn(schema)).toEqual([
      'block_variants',
      'blocks',
      'brands',
      'content_rules',
      'deliveries',
      'migrations',
      'outbox',
      'processed_events',
      'template_versions',
      'unsubscribes',
    ]);
    for (let i = 0; i < RENDERER_MIGRATIONS.length; i++) await revertLastMigration(dataSource);
    expect(await tablesIn(schema)).toEqual(['migrations']);
    expect(await prepareDatabase(dataSource)).toHaveLength(RENDERER_MIGRATIONS.length);
  });
});
