// Runs (or with "revert", undoes) this service's Postgres migrations: `nx run segmentation:migrate`.
import { loadConfig } from '@kairos/config';
import { createDataSource, runMigrationsCli } from '@kairos/persistence';
import { SEGMENTATION_ENTITIES, SEGMENTATION_MIGRATIONS } from '@kairos/segmentation/feature';

const config = loadConfig('segmentation');
void runMigrationsCli(() =>
  createDataSource({
    url: config.postgres.url,
    schema: config.postgres.schema,
    entities: SEGMENTATION_ENTITIES,
    migrations: SEGMENTATION_MIGRATIONS,
    applicationName: 'kairos-segmentation-migrate',
  }),
);
