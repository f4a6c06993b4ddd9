// Runs (or with "revert", undoes) this service's Postgres migrations: `nx run renderer:migrate`.
import { loadConfig } from '@kairos/config';
import { createDataSource, runMigrationsCli } from '@kairos/persistence';
import { RENDERER_ENTITIES, RENDERER_MIGRATIONS } from '@kairos/renderer/feature';

const config = loadConfig('renderer');
void runMigrationsCli(() =>
  createDataSource({
    url: config.postgres.url,
    schema: config.postgres.schema,
    entities: RENDERER_ENTITIES,
    migrations: RENDERER_MIGRATIONS,
    applicationName: 'kairos-renderer-migrate',
  }),
);
