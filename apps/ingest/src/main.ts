import './instrument';
import { loadConfig } from '@kairos/config';
import { ConsumerGroups } from '@kairos/contracts';
import { bootstrapService } from '@kairos/service-kit';
import { AppModule } from './app.module';

const config = loadConfig('ingest');
bootstrapService({
  config,
  module: AppModule.register(config),
  consumerGroup: ConsumerGroups.Ingest,
}).catch((error: unknown) => {
  console.error('ingest failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
