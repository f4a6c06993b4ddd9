import './instrument';
import { loadConfig } from '@kairos/config';
import { ConsumerGroups } from '@kairos/contracts';
import { bootstrapService } from '@kairos/service-kit';
import { AppModule } from './app.module';

const config = loadConfig('segmentation');
bootstrapService({
  config,
  module: AppModule.register(config),
  consumerGroup: ConsumerGroups.Segmentation,
}).catch((error: unknown) => {
  console.error('segmentation failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
