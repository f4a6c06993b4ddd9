import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { KairosConfig } from '@kairos/config';
import { KafkaPublisher } from '@kairos/messaging';
import { OutboxRelay, dataSourceSchema } from '@kairos/persistence';
import { KAIROS_CONFIG } from '@kairos/service-kit';
import { DataSource } from 'typeorm';
import { HotProfileRepository } from './hot-profile.repository';

/**
 * Identity's outbox relay: publishes committed outbox rows to Kafka and then refreshes the
 * Redis hot profile from what was published. Refreshing *after* the publish (not in the
 * resolving transaction) keeps Redis from ever showing a version that was rolled back.
 */
@Injectable()
export class IdentityOutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(IdentityOutboxRelay.name);
  readonly relay: OutboxRelay;

  constructor(
    dataSource: DataSource,
    publisher: KafkaPublisher,
    hotProfiles: HotProfileRepository,
    @Inject(KAIROS_CONFIG) config: KairosConfig,
  ) {
    this.relay = new OutboxRelay(dataSource, dataSourceSchema(dataSource), publisher, {
      pollIntervalMs: config.outbox.pollIntervalMs,
      onPublished: (rows) => hotProfiles.applyPublished(rows),
    });
  }

  /** After every module is initialized (the publisher is connected by then). */
  onApplicationBootstrap(): void {
    this.relay.start();
  }

  /** Call right after a commit that added outbox rows: publish now, not at the next poll. */
  kick(): void {
    this.relay.kick();
  }

  /**
   * Before the DataSource and the publisher close: stop polling, then publish what is pending
   * (best effort — whatever is left is published by the next start; nothing is lost).
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    await this.relay.drain().catch((error: unknown) => {
      this.log.warn(
        `outbox not drained at shutdown: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  }
}
