import { randomUUID } from 'node:crypto';
import { physicalTopic, type TopicName } from '@kairos/contracts';
import { createKafka } from './kafka-factory';
import type { KafkaConnectionOptions } from './options';
import { decodeHeaders } from './trace-context';

export interface StoredMessage {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  /** Broker timestamp, ms since epoch. */
  timestamp: number;
}

export interface ReadTopicOptions {
  /** Only messages at or after this time (default: from the beginning). */
  since?: Date;
  /** Stop after this many messages (default 10,000). */
  limit?: number;
  /** Give up waiting for more messages after this long without progress (default 10 s). */
  idleTimeoutMs?: number;
}

/**
 * Read what a topic holds right now, from a time onwards, up to its current end — for
 * operator tools such as the dead-letter re-drive. Uses a throwaway consumer group and commits
 * nothing, so it never moves any service's offsets.
 */
export async function readTopic(
  connection: KafkaConnectionOptions,
  topic: TopicName,
  options: ReadTopicOptions = {},
): Promise<StoredMessage[]> {
  const kafka = createKafka(connection);
  const physical = physicalTopic(topic, connection.namespace);
  const limit = options.limit ?? 10_000;
  const admin = kafka.admin();
  await admin.connect();
  let starts: { partition: number; offset: string }[];
  let ends: Map<number, bigint>;
  try {
    const latest = await admin.fetchTopicOffsets(physical);
    ends = new Map(latest.map((p) => [p.partition, BigInt(p.high)]));
    starts = options.since
      ? await admin.fetchTopicOffsetsByTimestamp(physical, options.since.getTime())
      : latest.map((p) => ({ partition: p.partition, offset: p.low }));
  } finally {
    await admin.disconnect();
  }
  const pending = new Set(
    starts.filter((s) => BigInt(s.offset) < (ends.get(s.partition) ?? 0n)).map((s) => s.partition),
  );
  if (pending.size === 0) return [];

  const messages: StoredMessage[] = [];
  const consumer = kafka.consumer({
    groupId: `kairos-reader-${randomUUID()}`,
    maxWaitTimeInMs: 200,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [physical], fromBeginning: true });
    let lastProgress = Date.now();
    const done = new Promise<void>((resolve) => {
      const idle = setInterval(() => {
        if (
          pending.size === 0 ||
          messages.length >= limit ||
          Date.now() - lastProgress > (options.idleTimeoutMs ?? 10_000)
        ) {
          clearInterval(idle);
          resolve();
        }
      }, 50);
    });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        lastProgress = Date.now();
        const end = ends.get(partition) ?? 0n;
        if (BigInt(message.offset) >= end) {
          pending.delete(partition);
          return;
        }
        if (messages.length < limit) {
          messages.push({
            partition,
            offset: message.offset,
            key: message.key?.toString('utf8') ?? null,
            value: message.value?.toString('utf8') ?? null,
            headers: decodeHeaders(message.headers),
            timestamp: Number(message.timestamp),
          });
        }
        if (BigInt(message.offset) + 1n >= end) pending.delete(partition);
      },
    });
    for (const start of starts)
      consumer.seek({ topic: physical, partition: start.partition, offset: start.offset });
    await done;
  } finally {
    await consumer.disconnect();
  }
  return messages.sort(
    (a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)),
  );
}
