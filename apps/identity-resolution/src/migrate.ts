// Runs (or with "revert", undoes) this service's Postgres migrations: `nx run identity-resolution:migrate`.
import { loadConfig } from '@kairos/config';
import { createDataSource, runMigrationsCli } from '@kairos/persistence';
import { IDENTITY_ENTITIES, IDENTITY_MIGRATIONS } from '@kairos/identity/feature';

const config = loadConfig('identity-resolution');
void runMigrationsCli(() =>
  createDataSource({
    url: config.postgres.url,
    schema: config.postgres.schema,
    entities: IDENTITY_ENTITIES,
    migrations: IDENTITY_MIGRATIONS,
    applicationName: 'kairos-identity-resolution-migrate',
  }),
);
