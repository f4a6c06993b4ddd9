import { randomUUID } from 'node:crypto';
import { EventTypes, Headers, Topics, physicalTopic, type RejectedEvent } from '@kairos/contracts';
import { KafkaPublisher } from '@kairos/messaging';
import {
  collectMessages,
  createNamespacedTopics,
  deleteNamespacedTopics,
  testKafka,
  testStack,
  uniqueName,
  waitFor,
} from '@kairos/testing';
import { redriveRejected } from './redrive';

describe(redriveRejected.name, () => {
  const ns = uniqueName('redrive');
  const connection = { brokers: testStack.kafkaBrokers, clientId: 'redrive-test', namespace: ns };
  const publisher = new KafkaPublisher(connection, 'kairos/test');
  const identify = {
    type: 'identify',
    messageId: randomUUID(),
    userId: 'u-1',
    traits: { firstName: 'Ann' },
  };

  beforeAll(async () => {
    await createNamespacedTopics(
      ns,
      [Topics.EventsRaw, Topics.EventsRejected, Topics.DeadLetter],
      1,
    );
    const rejected: RejectedEvent = {
      code: 'SCHEMA_VIOLATION',
      reason: 'properties.products.0.product_id: Required',
      issues: [],
      original: JSON.stringify(identify),
      rejectedAt: new Date().toISOString(),
    };
    await publisher.produce(Topics.EventsRejected, [
      { key: null, value: rejected, type: EventTypes.RejectedEvent },
    ]);
    const producer = testKafka().producer();
    await producer.connect();
    await producer.send({
      topic: physicalTopic(Topics.DeadLetter, ns),
      messages: [
        {
          value: '{"type":"track"',
          headers: {
            [Headers.DlqOriginalTopic]: physicalTopic(Topics.EventsRaw, ns),
            [Headers.DlqReasonCode]: 'INVALID_JSON',
          },
        },
        {
          value: '{}',
          headers: { [Headers.DlqOriginalTopic]: physicalTopic(Topics.EventsResolved, ns) },
        },
      ],
    });
    await producer.disconnect();
  });

  afterAll(async () => {
    await publisher.close();
    await deleteNamespacedTopics(ns);
  });

  it('reports what it would re-drive without publishing on a dry run', async () => {
    const report = await redriveRejected(connection, publisher, { apply: false });
    expect(report.candidates.map((c) => [c.source, c.code])).toEqual([
      ['rejected', 'SCHEMA_VIOLATION'],
      ['dead-letter', 'INVALID_JSON'],
    ]);
    expect(report.skipped).toBe(1); // the dead letter from another topic
    expect(report.published).toBe(0);
  });

  it('re-publishes the selected originals onto events.raw.v1 with --apply', async () => {
    const raw = await collectMessages([physicalTopic(Topics.EventsRaw, ns)], uniqueName('raw'));
    try {
      const report = await redriveRejected(connection, publisher, {
        apply: true,
        codes: ['SCHEMA_VIOLATION'],
      });
      expect(report.published).toBe(1);
      const [message] = await waitFor(() => (raw.messages.length ? raw.messages : undefined), {
        description: 're-driven event',
      });
      expect(JSON.parse(message.value ?? 'null')).toEqual(identify);
      expect(message.headers.kairos_redriven_from).toMatch(/^rejected:0:\d+$/);
    } finally {
      await raw.stop();
    }
  });
});
