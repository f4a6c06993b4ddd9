import { BaseRpcContext } from '@nestjs/microservices';
import type { TopicName } from '@kairos/contracts';

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
