import { TOPIC_SPECS, physicalTopic, type TopicSpec } from '@kairos/contracts';
import type { Admin } from 'kafkajs';
import { createKafka } from './kafka-factory';
import type { KafkaConnectionOptions } from './options';

export interface EnsureTopicsOptions {
  replicationFactor?: number;
  /** Override every topic's partition count (tests use few partitions). */
  partitions?: number;
  /** How long to wait for new topics to have leaders on every partition (default 30 s). */
  readyTimeoutMs?: number;
}

/**
 * Create the topics a service needs if they do not exist yet, and wait until every partition
 * has a leader. (KRaft + kafkajs auto-creation has quirks, so topics are always created
 * explicitly; and right after creation a broker may still answer "does not host this
 * topic-partition", which kafkajs' own waitForLeaders does not retry.) Idempotent; safe for
 * several replicas creating the same topics at once. Returns the physical names created.
 */
export async function ensureTopics(
  connection: KafkaConnectionOptions,
  specs: readonly TopicSpec[] = TOPIC_SPECS,
  options: EnsureTopicsOptions = {},
): Promise<string[]> {
  const admin = createKafka(connection).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(physicalTopic(s.name, connection.namespace)));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((spec) => ({
          topic: physicalTopic(spec.name, connection.namespace),
          numPartitions: options.partitions ?? spec.partitions,
          replicationFactor: options.replicationFactor ?? 1,
          configEntries: spec.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
        })),
      });
    }
    const names = specs.map((s) => physicalTopic(s.name, connection.namespace));
    await waitForLeaders(admin, names, options.readyTimeoutMs ?? 30_000);
    return missing.map((s) => physicalTopic(s.name, connection.namespace));
  } finally {
    await admin.disconnect();
  }
}

async function waitForLeaders(admin: Admin, topics: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no metadata yet';
  for (;;) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      const notReady = metadata.filter(
        (t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0),
      );
      if (notReady.length === 0) return;
      lastProblem = `no leader yet for ${notReady.map((t) => t.name).join(', ')}`;
    } catch (error) {
      // UNKNOWN_TOPIC_OR_PARTITION / LEADER_NOT_AVAILABLE while the new topics propagate.
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline)
      throw new Error(`topics not ready after ${timeoutMs} ms: ${lastProblem}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
