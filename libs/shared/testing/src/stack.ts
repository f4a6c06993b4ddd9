import { LOCAL_STACK } from '@kairos/config';

/** Connection settings of the real local stack the integration tests talk to. */
export const testStack = {
  kafkaBrokers: (process.env.KAIROS_KAFKA_BROKERS ?? LOCAL_STACK.kafkaBrokers).split(','),
  postgresUrl: process.env.KAIROS_PG_URL ?? LOCAL_STACK.postgresUrl,
  redisUrl: process.env.KAIROS_REDIS_URL ?? LOCAL_STACK.redisUrl,
};
