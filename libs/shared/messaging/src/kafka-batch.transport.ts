import { Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import {
  Headers,
  Topics,
  logicalTopic,
  physicalGroup,
  physicalTopic,
  type TopicName,
} from '@kairos/contracts';
import {
  SpanKind,
  SpanStatusCode,
  context,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';
import type { Consumer, EachBatchPayload, KafkaMessage, Producer } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { batchOptionsOf } from './batch-handler';
import { errorCode, errorMessage, isRetriable } from './errors';
import { createIdempotentProducer, createKafka } from './kafka-factory';
import { KafkaBatchContext, KafkaMessageContext, type KafkaMessageInfo } from './message-context';
import type { KafkaConsumerOptions } from './options';
import { contextFromHeaders, decodeHeaders } from './trace-context';

const tracer = trace.getTracer('@kairos/messaging');
const MAX_BACKOFF_MS = 30_000;

/** The outcome of handling one message, for logs and tests. */
export type MessageOutcome = 'handled' | 'dead-lettered';

/**
 * A NestJS custom transport that consumes Kafka with kafkajs' `eachBatch` and dispatches each
 * message to the `@EventPattern(<logical topic>)` handler.
 *
 * Why not Nest's built-in Kafka transport: it consumes one message at a time and treats every
 * handler exception as retriable forever, so one poison message blocks its partition. Here:
 *  - each message gets its own span whose parent is the trace context in its headers (with
 *    eachBatch the kafkajs instrumentation only adds links);
 *  - a failing handler is retried with exponential backoff while retriable, at most
 *    `maxAttempts` times, heartbeating between attempts; then the message goes to the
 *    dead-letter topic with the reason in headers, and the partition moves on;
 *  - an offset is committed only after its message was handled or dead-lettered
 *    (at-least-once: after a crash, messages after the last commit are delivered again, so
 *    handlers must be idempotent);
 *  - messages within one partition are handled strictly in order;
 *  - a handler declared with `batchHandler(...)` gets runs of consecutive messages of one
 *    partition at once (see batch-handler.ts); if a run fails, its messages are handled again
 *    one by one with the rules above, so a poison message is still isolated.
 */
export class KafkaBatchTransport extends Server implements CustomTransportStrategy {
  private readonly log = new Logger(KafkaBatchTransport.name);
  private consumer: Consumer | undefined;
  private dlqProducer: Producer | undefined;

  constructor(private readonly options: KafkaConsumerOptions) {
    super();
  }

  /** The logical topics this service has handlers for. */
  subscribedTopics(): TopicName[] {
    return [...this.messageHandlers.keys()].map((pattern) => pattern as TopicName);
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  private async start(): Promise<void> {
    const topics = this.subscribedTopics();
    if (topics.length === 0) return;
    const kafka = createKafka(this.options);
    this.dlqProducer = createIdempotentProducer(kafka);
    await this.dlqProducer.connect();
    this.consumer = kafka.consumer({
      groupId: physicalGroup(this.options.groupId, this.options.namespace),
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 100,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: topics.map((t) => physicalTopic(t, this.options.namespace)),
      fromBeginning: this.options.fromBeginning ?? true,
    });
    await this.consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.handleBatch(payload),
    });
    this.log.log(`consuming ${topics.join(', ')} as ${this.options.groupId}`);
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const heartbeat = () => payload.heartbeat();
    const topic = logicalTopic(batch.topic, this.options.namespace);
    const batchOptions = batchOptionsOf(topic ? this.getHandlerByPattern(topic) : null);
    if (batchOptions) {
      for (let start = 0; start < batch.messages.length; start += batchOptions.maxMessages) {
        if (!payload.isRunning() || payload.isStale()) break;
        const run = batch.messages.slice(start, start + batchOptions.maxMessages);
        await this.handleRun(batch.topic, batch.partition, run, heartbeat);
        payload.resolveOffset(run[run.length - 1].offset);
        await payload.commitOffsetsIfNecessary();
        await heartbeat();
      }
      return;
    }
    for (const message of batch.messages) {
      if (!payload.isRunning() || payload.isStale()) break;
      await this.handleMessage(batch.topic, batch.partition, message, heartbeat);
      payload.resolveOffset(message.offset);
      await payload.commitOffsetsIfNecessary();
      await heartbeat();
    }
  }

  /**
   * Hand a run of messages to a batch handler in one call, each message in its own span; if
   * that fails (or a message is not JSON), handle the run's messages one by one instead, with
   * the usual retries and dead-lettering. The batch attempt's spans stay in each message's
   * trace, marked `kairos.batch.fallback`, next to the spans of the one-by-one handling.
   */
  private async handleRun(
    physical: string,
    partition: number,
    messages: KafkaMessage[],
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    const topic = logicalTopic(physical, this.options.namespace);
    const handler = topic ? this.getHandlerByPattern(topic) : null;
    let ok = false;
    if (topic && handler && messages.length > 1) {
      const infos: KafkaMessageInfo[] = [];
      const contexts: Context[] = [];
      const spans: Span[] = [];
      const payloads: unknown[] = [];
      try {
        for (const message of messages) {
          const headers = decodeHeaders(message.headers);
          const { span, ctx } = this.startProcessSpan(topic, physical, partition, message, headers);
          spans.push(span);
          contexts.push(ctx);
          infos.push(messageInfo(topic, physical, partition, message, headers, 1));
          span.setAttribute('kairos.batch.size', messages.length);
          payloads.push(message.value === null ? null : JSON.parse(message.value.toString('utf8')));
        }
        const result: unknown = await handler(payloads, new KafkaBatchContext([infos, contexts]));
        await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
        ok = true;
      } catch (error) {
        this.log.warn(
          `${topic} p${partition}@${messages[0].offset}+${messages.length}: batch failed (${errorCode(error)}); handling its messages one by one`,
        );
        for (const span of spans) span.setAttribute('kairos.batch.fallback', true);
      } finally {
        for (const span of spans) span.end();
      }
    }
    if (ok) return;
    for (const message of messages) {
      await this.handleMessage(physical, partition, message, heartbeat);
      await heartbeat();
    }
  }

  private startProcessSpan(
    topic: TopicName | undefined,
    physical: string,
    partition: number,
    message: KafkaMessage,
    headers: Record<string, string>,
  ): { span: Span; ctx: Context } {
    const parent = contextFromHeaders(headers);
    const span = tracer.startSpan(
      `${topic ?? physical} process`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.destination.name': physical,
          'messaging.destination.partition.id': String(partition),
          'messaging.kafka.offset': Number(message.offset),
          'messaging.consumer.group.name': this.options.groupId,
          'messaging.message.id': headers[Headers.CeId] ?? '',
        },
      },
      parent,
    );
    return { span, ctx: trace.setSpan(parent, span) };
  }

  /** Handle one message until it is handled or dead-lettered; throws only if the DLQ fails. */
  async handleMessage(
    physical: string,
    partition: number,
    message: KafkaMessage,
    heartbeat: () => Promise<void> = async () => undefined,
  ): Promise<MessageOutcome> {
    const headers = decodeHeaders(message.headers);
    const topic = logicalTopic(physical, this.options.namespace);
    const { span, ctx } = this.startProcessSpan(topic, physical, partition, message, headers);
    try {
      return await context.with(ctx, () =>
        this.dispatch(topic, physical, partition, message, headers, heartbeat),
      );
    } finally {
      span.end();
    }
  }

  private async dispatch(
    topic: TopicName | undefined,
    physical: string,
    partition: number,
    message: KafkaMessage,
    headers: Record<string, string>,
    heartbeat: () => Promise<void>,
  ): Promise<MessageOutcome> {
    const handler = topic ? this.getHandlerByPattern(topic) : null;
    const span = trace.getActiveSpan();
    if (!topic || !handler) {
      await this.deadLetter(
        physical,
        partition,
        message,
        'NO_HANDLER',
        `no handler for topic ${physical}`,
        0,
      );
      return 'dead-lettered';
    }
    let payload: unknown;
    try {
      payload = message.value === null ? null : JSON.parse(message.value.toString('utf8'));
    } catch (error) {
      await this.deadLetter(
        physical,
        partition,
        message,
        'INVALID_JSON',
        `value is not JSON: ${errorMessage(error)}`,
        0,
      );
      span?.setStatus({ code: SpanStatusCode.ERROR, message: 'INVALID_JSON' });
      return 'dead-lettered';
    }

    for (let attempt = 1; ; attempt++) {
      const info = messageInfo(topic, physical, partition, message, headers, attempt);
      try {
        // A batch handler takes its one message as a run of one.
        const result: unknown = batchOptionsOf(handler)
          ? await handler([payload], new KafkaBatchContext([[info], [context.active()]]))
          : await handler(payload, new KafkaMessageContext([info]));
        await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
        return 'handled';
      } catch (error) {
        const retriable = isRetriable(error);
        span?.recordException(error instanceof Error ? error : new Error(errorMessage(error)));
        if (!retriable || attempt >= this.options.maxAttempts) {
          const code = retriable ? 'RETRIES_EXHAUSTED' : errorCode(error);
          span?.setStatus({ code: SpanStatusCode.ERROR, message: code });
          await this.deadLetter(physical, partition, message, code, errorMessage(error), attempt);
          return 'dead-lettered';
        }
        const delay = Math.min(this.options.retryBackoffMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
        this.log.warn(
          `${topic} p${partition}@${message.offset} attempt ${attempt} failed (${errorCode(error)}); retrying in ${delay} ms`,
        );
        await sleepWithHeartbeat(delay, heartbeat);
      }
    }
  }

  private async deadLetter(
    physical: string,
    partition: number,
    message: KafkaMessage,
    code: string,
    reason: string,
    attempts: number,
  ): Promise<void> {
    if (!this.dlqProducer) throw new Error('dead-letter producer is not connected');
    this.log.warn(`dead-lettering ${physical} p${partition}@${message.offset}: ${code}`);
    const headers = { ...(message.headers ?? {}) } as Record<string, string | Buffer>;
    Object.assign(headers, {
      [Headers.DlqReasonCode]: code,
      // Reasons come from validators and handlers, which never put field *values* in messages.
      [Headers.DlqReason]: reason.slice(0, 2000),
      [Headers.DlqOriginalTopic]: physical,
      [Headers.DlqOriginalPartition]: String(partition),
      [Headers.DlqOriginalOffset]: message.offset,
      [Headers.DlqConsumerGroup]: this.options.groupId,
      [Headers.DlqAttempts]: String(attempts),
      [Headers.DlqFailedAt]: new Date().toISOString(),
    });
    await this.dlqProducer.send({
      topic: physicalTopic(Topics.DeadLetter, this.options.namespace),
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers }],
    });
  }

  async close(): Promise<void> {
    await this.consumer?.disconnect();
    await this.dlqProducer?.disconnect();
    this.consumer = undefined;
    this.dlqProducer = undefined;
  }

  override on(): never {
    throw new Error('KafkaBatchTransport has no events to listen to');
  }

  unwrap<T>(): T {
    if (!this.consumer) throw new Error('KafkaBatchTransport is not listening');
    return this.consumer as T;
  }
}

function messageInfo(
  topic: TopicName,
  physical: string,
  partition: number,
  message: KafkaMessage,
  headers: Record<string, string>,
  attempt: number,
): KafkaMessageInfo {
  return {
    topic,
    physicalTopic: physical,
    partition,
    offset: message.offset,
    key: message.key?.toString('utf8') ?? null,
    headers,
    attempt,
    timestamp: message.timestamp,
  };
}

async function sleepWithHeartbeat(ms: number, heartbeat: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, deadline - Date.now())));
    await heartbeat();
  }
}
