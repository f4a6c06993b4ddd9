import {
  Global,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { ensureTopics } from './admin';
import { KAFKA_OPTIONS, type KafkaConnectionOptions } from './options';
import { KafkaPublisher } from './publisher';

export interface MessagingModuleOptions extends KafkaConnectionOptions {
  /** CloudEvents source of everything this service publishes, e.g. "kairos/ingest". */
  source: string;
  /** Create missing topics at start-up (default true; off where topics are managed elsewhere). */
  createTopics?: boolean;
}

class PublisherLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(KAFKA_OPTIONS) private readonly options: MessagingModuleOptions,
    private readonly publisher: KafkaPublisher,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.options.createTopics !== false) await ensureTopics(this.options);
    await this.publisher.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.publisher.close();
  }
}

/** Provides the service's {@link KafkaPublisher}, connected at start-up and closed at shutdown. */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        { provide: KAFKA_OPTIONS, useValue: options },
        { provide: KafkaPublisher, useFactory: () => new KafkaPublisher(options, options.source) },
        PublisherLifecycle,
      ],
      exports: [KafkaPublisher, KAFKA_OPTIONS],
    };
  }
}
