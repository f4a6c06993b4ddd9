import type { ConsumerGroupId } from '@kairos/contracts';

export interface KafkaConnectionOptions {
  brokers: string[];
  clientId: string;
  /** Prefix for every topic and consumer group; '' for none. */
  namespace: string;
}

export interface KafkaConsumerOptions extends KafkaConnectionOptions {
  groupId: ConsumerGroupId;
  /** Attempts per message before it is dead-lettered (1 = no retry). */
  maxAttempts: number;
  /** First retry delay; doubles each attempt, capped at 30 s. */
  retryBackoffMs: number;
  partitionsConsumedConcurrently: number;
  /** Read a new group's topics from the beginning (true: nothing published before is missed). */
  fromBeginning?: boolean;
}

/** Nest injection token for the connection options. */
export const KAFKA_OPTIONS = Symbol('kairos.kafka.options');
