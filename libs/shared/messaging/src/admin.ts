import { TOPIC_SPECS, physicalTopic, type TopicSpec } from '@kairos/contracts';
import { createKafka } from './kafka-factory';
import type { KafkaConnectionOptions } from './options';

/**
 * Create the topics a service needs if they do not exist yet (KRaft + kafkajs auto-creation has
 * quirks, so topics are always created explicitly). Idempotent; safe for several replicas.
 */
export async function ensureTopics(
  options: KafkaConnectionOptions,
  specs: readonly TopicSpec[] = TOPIC_SPECS,
  replicationFactor = 1,
): Promise<string[]> {
  const admin = createKafka(options).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(physicalTopic(s.name, options.namespace)));
    if (missing.length === 0) return [];
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((spec) => ({
        topic: physicalTopic(spec.name, options.namespace),
        numPartitions: spec.partitions,
        replicationFactor,
        configEntries: spec.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
      })),
    });
    return missing.map((s) => physicalTopic(s.name, options.namespace));
  } finally {
    await admin.disconnect();
  }
}
