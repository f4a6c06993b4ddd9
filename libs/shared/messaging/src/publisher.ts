import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import {
  CLOUDEVENTS_SPEC_VERSION,
  Headers,
  physicalTopic,
  type EventType,
  type TopicName,
} from '@kairos/contracts';
import { context } from '@opentelemetry/api';
import type { Message, Producer } from 'kafkajs';
import { createIdempotentProducer, createKafka } from './kafka-factory';
import type { KafkaConnectionOptions } from './options';
import { contextFromHeaders, currentTraceHeaders } from './trace-context';

export interface OutgoingMessage {
  /** Partition key; everything downstream of identity resolution is keyed by profileId. */
  key: string | null;
  /** Serialized as JSON; `null` is a tombstone on compacted topics. */
  value: unknown;
  /** CloudEvents type. */
  type: EventType;
  /** CloudEvents id; the consumer's idempotency key. Defaults to a random UUID. */
  id?: string;
  /** CloudEvents time; defaults to now. */
  time?: string;
  /**
   * Extra headers. A `traceparent` here (e.g. captured in an outbox row) wins over the active
   * context, so a message sent later still belongs to the trace that caused it.
   */
  headers?: Record<string, string>;
}

/** What {@link KafkaPublisher.emit} takes as data. */
export interface PublishPacket {
  messages: OutgoingMessage[];
}

/**
 * The one Kafka producer of a service, used through @nestjs/microservices' ClientProxy
 * (`emit(topic, { messages })`) or directly with {@link KafkaPublisher.produce}.
 *
 * Every send waits for acks from all in-sync replicas and the producer is idempotent, so a
 * retried send never duplicates a message on the broker. Messages carry CloudEvents binary-mode
 * headers and the W3C trace context.
 */
export class KafkaPublisher extends ClientProxy {
  private readonly logger = new Logger(KafkaPublisher.name);
  private producer: Producer | undefined;
  private connecting: Promise<Producer> | undefined;

  constructor(
    private readonly options: KafkaConnectionOptions,
    /** CloudEvents `source`, e.g. "kairos/ingest". */
    private readonly source: string,
  ) {
    super();
  }

  async connect(): Promise<Producer> {
    if (this.producer) return this.producer;
    this.connecting ??= (async () => {
      const producer = createIdempotentProducer(createKafka(this.options));
      await producer.connect();
      this.producer = producer;
      return producer;
    })().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect();
  }

  unwrap<T>(): T {
    if (!this.producer) throw new Error('KafkaPublisher is not connected');
    return this.producer as T;
  }

  /**
   * Publish messages to a logical topic and resolve once every one is acknowledged by all
   * in-sync replicas. Messages keep their order per key.
   */
  async produce(topic: TopicName, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const producer = await this.connect();
    const physical = physicalTopic(topic, this.options.namespace);
    // Messages that carry their own trace context are sent inside that context, so the
    // kafkajs instrumentation's producer span (and the traceparent it writes) continues the
    // trace that caused the message. Runs of messages with the same context share one send,
    // which keeps per-key order because runs are sent one after another.
    for (const run of runsByTraceParent(messages)) {
      const ctx = run.traceparent
        ? contextFromHeaders({ [Headers.TraceParent]: run.traceparent })
        : context.active();
      const kafkaMessages = run.messages.map((m) => this.toKafkaMessage(m));
      await context.with(ctx, () =>
        producer.send({ topic: physical, acks: -1, messages: kafkaMessages }),
      );
    }
  }

  private toKafkaMessage(message: OutgoingMessage): Message {
    const headers: Record<string, string> = {
      [Headers.CeSpecVersion]: CLOUDEVENTS_SPEC_VERSION,
      [Headers.CeId]: message.id ?? randomUUID(),
      [Headers.CeType]: message.type,
      [Headers.CeSource]: this.source,
      [Headers.CeTime]: message.time ?? new Date().toISOString(),
      [Headers.ContentType]: 'application/json',
      ...currentTraceHeaders(),
      ...message.headers,
    };
    return {
      key: message.key,
      value: message.value === null ? null : JSON.stringify(message.value),
      headers,
    };
  }

  protected async dispatchEvent<T = undefined>(packet: ReadPacket<PublishPacket>): Promise<T> {
    const topic = typeof packet.pattern === 'string' ? packet.pattern : String(packet.pattern);
    await this.produce(topic as TopicName, packet.data.messages);
    return undefined as T;
  }

  protected publish(_packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    // Kairos services talk in events only; there is no request/response over Kafka.
    this.logger.error('request/response over Kafka is not supported; use emit()');
    callback({
      err: new Error('request/response over Kafka is not supported; use emit()'),
      isDisposed: true,
    });
    return () => undefined;
  }

  override on(): never {
    throw new Error('KafkaPublisher has no events to listen to');
  }
}

function runsByTraceParent(messages: OutgoingMessage[]) {
  const runs: { traceparent: string | undefined; messages: OutgoingMessage[] }[] = [];
  for (const message of messages) {
    const traceparent = message.headers?.[Headers.TraceParent];
    const last = runs[runs.length - 1];
    if (last && last.traceparent === traceparent) last.messages.push(message);
    else runs.push({ traceparent, messages: [message] });
  }
  return runs;
}
