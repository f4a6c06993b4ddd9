import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EventTypes, Headers, Topics, physicalTopic } from '@kairos/contracts';
import {
  collectMessages,
  createNamespacedTopics,
  deleteNamespacedTopics,
  testKafka,
  uniqueName,
  waitFor,
} from '@kairos/testing';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { PermanentError, RetriableError } from './errors';
import { ErrorPassthroughFilter } from './error-passthrough.filter';
import { KafkaBatchTransport } from './kafka-batch.transport';
import { batchHandler } from './batch-handler';
import { KafkaBatchContext, KafkaMessageContext } from './message-context';
import { KafkaPublisher } from './publisher';

// Our own spans only (the kafkajs auto-instrumentation cannot hook Jest's module loader).
const spans = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
trace.setGlobalTracerProvider(provider);
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());

interface Seen {
  payload: unknown;
  info: KafkaMessageContext['info'];
  traceId: string | undefined;
}
const seen: Seen[] = [];
const attemptsByBehaviour = new Map<string, number>();

@Controller()
class ProbeController {
  @EventPattern(Topics.EventsAccepted)
  handle(
    @Payload() payload: { behaviour: string; n: number },
    @Ctx() ctx: KafkaMessageContext,
  ): void {
    const count = (attemptsByBehaviour.get(`${payload.behaviour}:${payload.n}`) ?? 0) + 1;
    attemptsByBehaviour.set(`${payload.behaviour}:${payload.n}`, count);
    if (payload.behaviour === 'flaky' && count < 2)
      throw new RetriableError('TRANSIENT', 'flaky dependency');
    if (payload.behaviour === 'always-retriable') throw new Error('still down');
    if (payload.behaviour === 'permanent')
      throw new PermanentError('SCHEMA_VIOLATION', 'n: must be even');
    seen.push({ payload, info: ctx.info, traceId: trace.getActiveSpan()?.spanContext().traceId });
  }
}

/** Calls of the batch handler: the ns of each call's payloads. */
const batchCalls: number[][] = [];
const batchHandled: { n: number; traceId: string | undefined }[] = [];

@Controller()
class BatchProbeController {
  @EventPattern(Topics.EventsRaw, batchHandler({ maxMessages: 10 }))
  handle(
    @Payload() payloads: { behaviour: string; n: number }[],
    @Ctx() ctx: KafkaBatchContext,
  ): void {
    batchCalls.push(payloads.map((p) => p.n));
    if (payloads.some((p) => p.behaviour === 'permanent'))
      throw new PermanentError('SCHEMA_VIOLATION', 'n: must be even');
    payloads.forEach((p, i) =>
      ctx.inMessage(i, () =>
        batchHandled.push({ n: p.n, traceId: trace.getActiveSpan()?.spanContext().traceId }),
      ),
    );
  }
}

@Module({ controllers: [ProbeController, BatchProbeController] })
class ProbeModule {}

describe(KafkaBatchTransport.name, () => {
  const ns = uniqueName('msg');
  const brokers = ['127.0.0.1:19092'];
  let app: INestMicroservice;
  let publisher: KafkaPublisher;
  let dlq: Awaited<ReturnType<typeof collectMessages>>;

  beforeAll(async () => {
    await createNamespacedTopics(
      ns,
      [Topics.EventsAccepted, Topics.EventsRaw, Topics.DeadLetter],
      2,
    );
    app = await NestFactory.createMicroservice(ProbeModule, {
      logger: ['error'],
      strategy: new KafkaBatchTransport({
        brokers,
        clientId: 'test',
        namespace: ns,
        groupId: 'kairos.ingest',
        maxAttempts: 3,
        retryBackoffMs: 10,
        partitionsConsumedConcurrently: 2,
      }),
    });
    app.useGlobalFilters(new ErrorPassthroughFilter());
    await app.listen();
    publisher = new KafkaPublisher({ brokers, clientId: 'test', namespace: ns }, 'kairos/test');
    dlq = await collectMessages([physicalTopic(Topics.DeadLetter, ns)], uniqueName('dlq'));
  });

  afterAll(async () => {
    await app?.close();
    await publisher?.close();
    await dlq?.stop();
    await deleteNamespacedTopics(ns);
  });

  const send = (behaviour: string, n: number, headers?: Record<string, string>) =>
    publisher.produce(Topics.EventsAccepted, [
      {
        key: 'k1',
        value: { behaviour, n },
        type: EventTypes.AcceptedEvent,
        id: `${behaviour}-${n}`,
        headers,
      },
    ]);

  it('delivers the payload with its context, inside a span continuing the sender trace', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await send('ok', 1, { [Headers.TraceParent]: `00-${traceId}-00f067aa0ba902b7-01` });
    const got = await waitFor(() => seen.find((s) => (s.payload as { n: number }).n === 1), {
      description: 'message 1',
    });
    expect(got.info.topic).toBe(Topics.EventsAccepted);
    expect(got.info.key).toBe('k1');
    expect(got.info.headers[Headers.CeId]).toBe('ok-1');
    expect(got.info.headers[Headers.CeType]).toBe(EventTypes.AcceptedEvent);
    expect(got.info.headers[Headers.CeSource]).toBe('kairos/test');
    expect(got.traceId).toBe(traceId);
    const span = spans
      .getFinishedSpans()
      .find(
        (s) => s.name === `${Topics.EventsAccepted} process` && s.spanContext().traceId === traceId,
      );
    // The publisher makes the producer span itself (a child of the sender's context) and
    // sends its context, so the process span hangs under it, in the sender's trace.
    const producerSpan = spans
      .getFinishedSpans()
      .find(
        (s) =>
          s.name === `send ${physicalTopic(Topics.EventsAccepted, ns)}` &&
          s.spanContext().traceId === traceId,
      );
    expect(producerSpan?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(span?.parentSpanContext?.spanId).toBe(producerSpan?.spanContext().spanId);
  });

  it('retries a retriable failure and then handles the message once', async () => {
    await send('flaky', 2);
    await waitFor(() => seen.find((s) => (s.payload as { n: number }).n === 2), {
      description: 'flaky message',
    });
    expect(attemptsByBehaviour.get('flaky:2')).toBe(2);
    expect(seen.filter((s) => (s.payload as { n: number }).n === 2)).toHaveLength(1);
  });

  it('dead-letters a permanent failure at once with the reason, and the partition moves on', async () => {
    await send('permanent', 3);
    await send('ok', 4);
    const dead = await waitFor(
      () => dlq.messages.find((m) => m.headers[Headers.CeId] === 'permanent-3'),
      {
        description: 'dead letter for message 3',
      },
    );
    expect(attemptsByBehaviour.get('permanent:3')).toBe(1);
    expect(dead.headers[Headers.DlqReasonCode]).toBe('SCHEMA_VIOLATION');
    expect(dead.headers[Headers.DlqReason]).toBe('n: must be even');
    expect(dead.headers[Headers.DlqOriginalTopic]).toBe(physicalTopic(Topics.EventsAccepted, ns));
    expect(dead.headers[Headers.DlqAttempts]).toBe('1');
    expect(JSON.parse(dead.value ?? 'null')).toEqual({ behaviour: 'permanent', n: 3 });
    await waitFor(() => seen.find((s) => (s.payload as { n: number }).n === 4), {
      description: 'message after the poison one',
    });
  });

  it('gives up on a message that keeps failing after maxAttempts, to the dead-letter topic', async () => {
    await send('always-retriable', 5);
    const dead = await waitFor(
      () => dlq.messages.find((m) => m.headers[Headers.CeId] === 'always-retriable-5'),
      {
        description: 'dead letter for message 5',
      },
    );
    expect(attemptsByBehaviour.get('always-retriable:5')).toBe(3);
    expect(dead.headers[Headers.DlqReasonCode]).toBe('RETRIES_EXHAUSTED');
    expect(dead.headers[Headers.DlqReason]).toBe('still down');
  });

  it('dead-letters a value that is not JSON without calling the handler', async () => {
    const producer = testKafka().producer();
    await producer.connect();
    await producer.send({
      topic: physicalTopic(Topics.EventsAccepted, ns),
      messages: [{ key: 'k1', value: '{not json', headers: { [Headers.CeId]: 'garbage-6' } }],
    });
    await producer.disconnect();
    const dead = await waitFor(
      () => dlq.messages.find((m) => m.headers[Headers.CeId] === 'garbage-6'),
      {
        description: 'dead letter for the garbage message',
      },
    );
    expect(dead.headers[Headers.DlqReasonCode]).toBe('INVALID_JSON');
    expect(dead.value).toBe('{not json');
  });

  it('hands a batch handler a run of one partition at once, each message in its own trace', async () => {
    const traces = ['a', 'b', 'c'].map((c) => c.repeat(32));
    await publisher.produce(
      Topics.EventsRaw,
      [1, 2, 3].map((n) => ({
        key: 'k-batch',
        value: { behaviour: 'ok', n: 100 + n },
        type: EventTypes.AcceptedEvent,
        headers: { [Headers.TraceParent]: `00-${traces[n - 1]}-00f067aa0ba902b7-01` },
      })),
    );
    await waitFor(() => batchHandled.filter((h) => h.n > 100 && h.n < 200).length === 3, {
      description: 'the three messages',
    });
    // One send, one partition, one record batch: one call.
    expect(batchCalls).toContainEqual([101, 102, 103]);
    expect(batchHandled.filter((h) => h.n > 100 && h.n < 200)).toEqual([
      { n: 101, traceId: traces[0] },
      { n: 102, traceId: traces[1] },
      { n: 103, traceId: traces[2] },
    ]);
  });

  it('falls back to one message at a time when a run fails, so only the poison message is dead-lettered', async () => {
    await publisher.produce(
      Topics.EventsRaw,
      [
        { behaviour: 'ok', n: 201 },
        { behaviour: 'permanent', n: 202 },
        { behaviour: 'ok', n: 203 },
      ].map((value) => ({
        key: 'k-poison',
        value,
        type: EventTypes.AcceptedEvent,
        id: `batch-${value.n}`,
      })),
    );
    await waitFor(() => dlq.messages.some((m) => m.headers[Headers.CeId] === 'batch-202'), {
      description: 'the poison message in the DLQ',
    });
    await waitFor(() => batchHandled.filter((h) => h.n > 200).length === 2, {
      description: 'the good messages',
    });
    expect(batchCalls).toContainEqual([201, 202, 203]);
    // Then one by one, in order: each as a run of one.
    expect(batchCalls).toContainEqual([201]);
    expect(batchCalls).toContainEqual([202]);
    expect(batchCalls).toContainEqual([203]);
    expect(batchHandled.filter((h) => h.n > 200).map((h) => h.n)).toEqual([201, 203]);
  });
});
