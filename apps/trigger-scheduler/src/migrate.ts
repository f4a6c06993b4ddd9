// Runs (or with "revert", undoes) this service's Postgres migrations: `nx run trigger-scheduler:migrate`.
import { loadConfig } from '@kairos/config';
import { createDataSource, runMigrationsCli } from '@kairos/persistence';
import { SCHEDULER_ENTITIES, SCHEDULER_MIGRATIONS } from '@kairos/scheduler/feature';

const config = loadConfig('trigger-scheduler');
void runMigrationsCli(() =>
  createDataSource({
    url: config.postgres.url,
    schema: config.postgres.schema,
    entities: SCHEDULER_ENTITIES,
    migrations: SCHEDULER_MIGRATIONS,
    applicationName: 'kairos-trigger-scheduler-migrate',
  }),
);
