import { Kafka, Partitioners, logLevel, type LogEntry, type Producer } from 'kafkajs';
import { Logger } from '@nestjs/common';
import type { KafkaConnectionOptions } from './options';

const logger = new Logger('kafkajs');

/** kafkajs log lines go through Nest's logger, so services have one log format. */
function logCreator() {
  return ({ level, log }: LogEntry) => {
    const { message, error } = log as { message: string; error?: string };
    const text = error ? `${message}: ${error}` : message;
    if (level === logLevel.ERROR) logger.error(text);
    else if (level === logLevel.WARN) logger.warn(text);
  };
}

export function createKafka(options: KafkaConnectionOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    logCreator,
    retry: { initialRetryTime: 200, retries: 8 },
  });
}

/**
 * An idempotent producer that waits for all in-sync replicas. Retries are unbounded, as kafkajs
 * requires for idempotence (bounded retries could re-send a batch the broker already wrote):
 * while the broker is away, a send waits for it to come back instead of failing, so a restarted
 * broker loses nothing. The default (murmur2) partitioner keeps one key on one partition, the
 * same partition the Java client picks.
 */
export function createIdempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 200, maxRetryTime: 5_000 },
  });
}
