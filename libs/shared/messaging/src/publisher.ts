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
import { SpanKind, SpanStatusCode, context, trace, type Span } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { Message, Producer } from 'kafkajs';
import { createIdempotentProducer, createKafka } from './kafka-factory';
import type { KafkaConnectionOptions } from './options';
import { contextFromHeaders, currentTraceHeaders } from './trace-context';

const tracer = trace.getTracer('@kairos/messaging');

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
    await this.produceBatch([{ topic, messages }]);
  }

  /**
   * Publish messages to several topics in ONE produce request (acks from all in-sync
   * replicas), keeping each topic's messages in the given order (so per key, too). Either it
   * resolves and every message is written, or it rejects and some may have been written — a
   * retry re-sends them with the same ce_id, which consumers dedupe (at-least-once).
   *
   * Trace continuity without one send per trace: each message gets its own producer span,
   * parented on the trace context it carries (a `traceparent` header, e.g. captured in an
   * outbox row) or else on the active context, and that span's context is written into the
   * message's headers — what @opentelemetry/instrumentation-kafkajs does per message, but
   * the instrumentation takes every message's parent from the one active context, so mixing
   * traces in one send would attach them all to one trace. The send itself therefore runs
   * with tracing suppressed: the instrumentation creates no spans of its own for it and leaves
   * our headers alone. Trade-off: these spans are made here, not by the instrumentation (same
   * name, kind and messaging attributes; no cluster id; the key is never recorded).
   */
  async produceBatch(
    batches: readonly { topic: TopicName; messages: readonly OutgoingMessage[] }[],
  ): Promise<void> {
    const nonEmpty = batches.filter((b) => b.messages.length > 0);
    if (nonEmpty.length === 0) return;
    const producer = await this.connect();
    const spans: Span[] = [];
    const topicMessages = nonEmpty.map(({ topic, messages }) => {
      const physical = physicalTopic(topic, this.options.namespace);
      return {
        topic: physical,
        messages: messages.map((m) => this.toKafkaMessage(m, physical, spans)),
      };
    });
    try {
      await context.with(suppressTracing(context.active()), () =>
        producer.sendBatch({ acks: -1, topicMessages }),
      );
    } catch (error) {
      for (const span of spans) {
        span.recordException(error instanceof Error ? error : new Error(String(error)));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      throw error;
    } finally {
      for (const span of spans) span.end();
    }
  }

  private toKafkaMessage(message: OutgoingMessage, physical: string, spans: Span[]): Message {
    const parent = message.headers?.[Headers.TraceParent]
      ? contextFromHeaders(message.headers)
      : context.active();
    const span = tracer.startSpan(
      `send ${physical}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': physical,
          'messaging.operation.name': 'send',
          'messaging.operation.type': 'send',
        },
      },
      parent,
    );
    spans.push(span);
    const headers: Record<string, string> = {
      [Headers.CeSpecVersion]: CLOUDEVENTS_SPEC_VERSION,
      [Headers.CeId]: message.id ?? randomUUID(),
      [Headers.CeType]: message.type,
      [Headers.CeSource]: this.source,
      [Headers.CeTime]: message.time ?? new Date().toISOString(),
      [Headers.ContentType]: 'application/json',
      ...message.headers,
      // The producer span's context (empty when tracing is off: the captured one stays).
      ...currentTraceHeaders(trace.setSpan(parent, span)),
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
