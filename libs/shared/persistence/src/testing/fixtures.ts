/**
 * Support for this library's integration tests (not exported from the package): a schema of
 * the test's own, migrated, and a topic namespace of its own, plus one place that undoes both.
 */
import type { TopicName } from '@kairos/contracts';
import { KafkaPublisher } from '@kairos/messaging';
// eslint-disable-next-line @nx/enforce-module-boundaries -- test support, imported only by *.int-spec.ts, never by index.ts
import {
  createNamespacedTopics,
  deleteNamespacedTopics,
  dropSchema,
  testStack,
  uniqueName,
} from '@kairos/testing';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { createDataSource, prepareDatabase, schemaOf, type MigrationClass } from '../data-source';
import { outboxTablesDown, outboxTablesUp } from '../outbox-tables';

/** What a service's first migration looks like. */
export class CreateOutboxTables1700000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await outboxTablesUp(queryRunner, schemaOf(queryRunner));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await outboxTablesDown(queryRunner, schemaOf(queryRunner));
  }
}

/** Collects clean-up steps and runs them (newest first) in afterAll. */
export class Cleanup {
  private readonly steps: (() => Promise<unknown>)[] = [];

  add(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    for (const step of this.steps.reverse()) await step().catch(() => undefined);
    this.steps.length = 0;
  }
}

export function testDataSource(
  schema: string,
  migrations: readonly MigrationClass[] = [CreateOutboxTables1700000000000],
): DataSource {
  return createDataSource({
    url: testStack.postgresUrl,
    schema,
    entities: [],
    migrations,
    poolSize: 5,
    applicationName: 'kairos-persistence-test',
  });
}

/** A fresh schema with the outbox tables and an initialized DataSource on it. */
export async function migratedSchema(
  cleanup: Cleanup,
): Promise<{ schema: string; dataSource: DataSource }> {
  const schema = uniqueName('pers');
  const dataSource = testDataSource(schema);
  cleanup.add(() => dropSchema(schema));
  cleanup.add(() => dataSource.destroy());
  await prepareDatabase(dataSource);
  return { schema, dataSource };
}

/** Topics in a namespace of their own and a publisher for them. */
export async function namespacedPublisher(
  cleanup: Cleanup,
  topics: TopicName[],
): Promise<{ namespace: string; physical: Record<TopicName, string>; publisher: KafkaPublisher }> {
  const namespace = uniqueName('pers');
  const physical = await createNamespacedTopics(namespace, topics);
  cleanup.add(() => deleteNamespacedTopics(namespace));
  const publisher = new KafkaPublisher(
    { brokers: testStack.kafkaBrokers, clientId: 't', namespace },
    'kairos/test',
  );
  cleanup.add(() => publisher.close());
  return { namespace, physical, publisher };
}
