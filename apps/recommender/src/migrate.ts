// Runs (or with "revert", undoes) this service's Postgres migrations: `nx run recommender:migrate`.
import { loadConfig } from '@kairos/config';
import { createDataSource, runMigrationsCli } from '@kairos/persistence';
import { RECOMMENDER_ENTITIES, RECOMMENDER_MIGRATIONS } from '@kairos/recommender/feature';

const config = loadConfig('recommender');
void runMigrationsCli(() =>
  createDataSource({
    url: config.postgres.url,
    schema: config.postgres.schema,
    entities: RECOMMENDER_ENTITIES,
    migrations: RECOMMENDER_MIGRATIONS,
    applicationName: 'kairos-recommender-migrate',
  }),
);
