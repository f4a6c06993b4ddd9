// Repopulates identity's Redis hot profiles from Postgres: `nx run identity-resolution:rebuild-hot-store`.
// Safe while the service runs (writes are version-guarded). Prints progress and the final counts
// as JSON; exits non-zero on failure.
import { loadConfig } from '@kairos/config';
import { HotKeys, createRedis } from '@kairos/hot-store';
import { IDENTITY_ENTITIES, IDENTITY_MIGRATIONS, rebuildHotStore } from '@kairos/identity/feature';
import { createDataSource } from '@kairos/persistence';

async function main(): Promise<void> {
  const config = loadConfig('identity-resolution');
  const dataSource = createDataSource({
    url: config.postgres.url,
    schema: config.postgres.schema,
    entities: IDENTITY_ENTITIES,
    migrations: IDENTITY_MIGRATIONS,
    applicationName: 'kairos-identity-rebuild-hot-store',
  });
  const redis = createRedis(config.redis.url);
  try {
    await dataSource.initialize();
    const started = Date.now();
    const counts = await rebuildHotStore(dataSource, redis, new HotKeys(config.redis.keyPrefix), {
      onBatch: (c) => console.error(`… ${c.profiles} profiles read, ${c.written} written`),
    });
    console.log(JSON.stringify({ ...counts, elapsedMs: Date.now() - started }));
  } finally {
    await redis.quit().catch(() => redis.disconnect());
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error('rebuild-hot-store failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
