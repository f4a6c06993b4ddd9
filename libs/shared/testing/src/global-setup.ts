/**
 * Jest global setup for integration and end-to-end tests: make sure the real local stack is
 * reachable before any test runs, and say how to start it if it is not.
 */
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import Redis from 'ioredis';
// eslint-disable-next-line @nx/enforce-module-boundaries -- Jest global setup runs without the alias mapper
import { LOCAL_STACK } from '../../config/src/config';

// Jest runs global setup outside its module mapper, so the @kairos/* aliases are not available
// here and the config library is imported by path; the same defaults as ./stack.ts.
const testStack = {
  kafkaBrokers: (process.env.KAIROS_KAFKA_BROKERS ?? LOCAL_STACK.kafkaBrokers).split(','),
  postgresUrl: process.env.KAIROS_PG_URL ?? LOCAL_STACK.postgresUrl,
  redisUrl: process.env.KAIROS_REDIS_URL ?? LOCAL_STACK.redisUrl,
};

async function check(name: string, probe: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await probe();
    return undefined;
  } catch (error) {
    return `${name}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

export default async function globalSetup(): Promise<void> {
  const problems = (
    await Promise.all([
      check(`Kafka at ${testStack.kafkaBrokers.join(',')}`, async () => {
        const admin = new Kafka({
          clientId: 'kairos-test-setup',
          brokers: testStack.kafkaBrokers,
          logLevel: logLevel.NOTHING,
          retry: { retries: 2 },
        }).admin();
        await admin.connect();
        await admin.listTopics();
        await admin.disconnect();
      }),
      check('PostgreSQL', async () => {
        const client = new Client({ connectionString: testStack.postgresUrl });
        await client.connect();
        await client.query('select 1');
        await client.end();
      }),
      check('Redis', async () => {
        const redis = new Redis(testStack.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
        await redis.connect();
        await redis.ping();
        redis.disconnect();
      }),
    ])
  ).filter(Boolean);
  if (problems.length) {
    throw new Error(
      `The local stack is not reachable:\n  ${problems.join('\n  ')}\n` +
        'Start it with `bash deploy/local/stack.sh up` (or run the README test command, which does).',
    );
  }
}
