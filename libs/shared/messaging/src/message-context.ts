import { BaseRpcContext } from '@nestjs/microservices';
import type { TopicName } from '@kairos/contracts';
import { context, type Context } from '@opentelemetry/api';

export interface KafkaMessageInfo {
  /** Logical topic (without namespace), the one handlers are bound to. */
  topic: TopicName;
  physicalTopic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
  /** 1 on the first delivery attempt in this process. */
  attempt: number;
  /** Broker timestamp (ms since epoch, as a string). */
  timestamp: string;
}

/** What a Kairos Kafka handler gets with `@Ctx()`. */
export class KafkaMessageContext extends BaseRpcContext<[KafkaMessageInfo]> {
  get info(): KafkaMessageInfo {
    return this.getArgByIndex(0) as KafkaMessageInfo;
  }
}

/**
 * What a batch handler gets with `@Ctx()`: the messages of one run (consecutive offsets of one
 * partition, in order) and a way to do message i's work inside message i's own span, so what
 * it writes (outbox rows, published messages, logs) belongs to that message's trace.
 */
export class KafkaBatchContext extends BaseRpcContext<[KafkaMessageInfo[], Context[]]> {
  get messages(): KafkaMessageInfo[] {
    return this.getArgByIndex(0) as KafkaMessageInfo[];
  }

  /** Run `work` inside message `index`'s span context. */
  inMessage<T>(index: number, work: () => T): T {
    const contexts = this.getArgByIndex(1) as Context[];
    return context.with(contexts[index] ?? context.active(), work);
  }
}
