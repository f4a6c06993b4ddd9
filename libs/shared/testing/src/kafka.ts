import { TOPIC_SPECS, physicalTopic, type TopicName } from '@kairos/contracts';
import { ensureTopics } from '@kairos/messaging';
import { Kafka, logLevel } from 'kafkajs';
import { testStack } from './stack';

export function testKafka(clientId = 'kairos-test'): Kafka {
  return new Kafka({ clientId, brokers: testStack.kafkaBrokers, logLevel: logLevel.NOTHING });
}

/**
 * Create every Kairos topic (or the given ones) under a namespace of the test's own, so tests
 * never see each other's messages. Returns the physical names.
 */
export async function createNamespacedTopics(
  namespace: string,
  topics: readonly TopicName[] = TOPIC_SPECS.map((s) => s.name),
  partitions?: number,
): Promise<Record<TopicName, string>> {
  const specs = TOPIC_SPECS.filter((spec) => topics.includes(spec.name));
  await ensureTopics(
    { brokers: testStack.kafkaBrokers, clientId: 'kairos-test', namespace },
    specs,
    { partitions },
  );
  return Object.fromEntries(topics.map((t) => [t, physicalTopic(t, namespace)])) as Record<
    TopicName,
    string
  >;
}

/** Delete a test namespace's topics (best effort; the broker is a throwaway). */
export async function deleteNamespacedTopics(namespace: string): Promise<void> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const all = await admin.listTopics();
    const mine = all.filter((t) => t.startsWith(`${namespace}.`));
    if (mine.length) await admin.deleteTopics({ topics: mine });
  } finally {
    await admin.disconnect();
  }
}

export interface CollectedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/**
 * Read everything that arrives on some topics into an array the test can poll with waitFor.
 * Uses a unique consumer group reading from the beginning.
 */
export async function collectMessages(topics: string[], groupId: string) {
  const consumer = testKafka().consumer({ groupId, maxWaitTimeInMs: 100 });
  const messages: CollectedMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const headers: Record<string, string> = {};
      for (const [k, val] of Object.entries(message.headers ?? {})) {
        if (val !== undefined) headers[k] = Array.isArray(val) ? String(val[0]) : String(val);
      }
      messages.push({
        topic,
        partition,
        offset: message.offset,
        key: message.key?.toString() ?? null,
        value: message.value?.toString() ?? null,
        headers,
      });
    },
  });
  return { messages, stop: () => consumer.disconnect() };
}
