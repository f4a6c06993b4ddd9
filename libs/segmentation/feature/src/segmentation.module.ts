import {
  Inject,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { KairosConfig } from '@kairos/config';
import { KafkaPublisher } from '@kairos/messaging';
import { Outbox, OutboxRelay } from '@kairos/persistence';
import { KAIROS_CONFIG } from '@kairos/service-kit';
import { DataSource } from 'typeorm';
import { ApplyResolvedEventUseCase } from './apply-resolved-event.use-case';
import { ComputedTraitsEntity } from './computed-traits.entity';
import { ComputedTraitsRepository } from './computed-traits.repository';
import { HotCopyService } from './hot-copy.service';
import { HotTraitsRepository } from './hot-traits.repository';
import { MembershipEntity } from './membership.entity';
import { MembershipRepository } from './membership.repository';
import { MergeProfilesUseCase } from './merge-profiles.use-case';
import { CreateSegmentationTables1763880000000 } from './migrations/1763880000000-CreateSegmentationTables';
import { SegmentationConsumer } from './segmentation.consumer';

export const SEGMENTATION_ENTITIES = [ComputedTraitsEntity, MembershipEntity];
export const SEGMENTATION_MIGRATIONS = [CreateSegmentationTables1763880000000];

/**
 * Segmentation: keeps computed traits per profile, evaluates the built-in segments after every
 * event, announces entered/exited on `segments.memberships.v1` through its outbox, and mirrors
 * traits and segments to Redis. Uses the global DataSource/Outbox/ProcessedEvents, Redis,
 * KafkaPublisher and Clock the app module provides.
 */
@Module({
  controllers: [SegmentationConsumer],
  providers: [
    {
      provide: OutboxRelay,
      inject: [DataSource, Outbox, KafkaPublisher, KAIROS_CONFIG],
      useFactory: (
        dataSource: DataSource,
        outbox: Outbox,
        publisher: KafkaPublisher,
        config: KairosConfig,
      ) =>
        new OutboxRelay(dataSource, outbox.schema, publisher, {
          pollIntervalMs: config.outbox.pollIntervalMs,
        }),
    },
    ComputedTraitsRepository,
    MembershipRepository,
    HotTraitsRepository,
    HotCopyService,
    ApplyResolvedEventUseCase,
    MergeProfilesUseCase,
  ],
})
export class SegmentationFeatureModule
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  constructor(@Inject(OutboxRelay) private readonly relay: OutboxRelay) {}

  /** Also publishes rows left over from before a restart (the relay's first cycle runs at once). */
  onApplicationBootstrap(): void {
    this.relay.start();
  }

  /** Before the DataSource closes (PersistenceModule closes it in onApplicationShutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}
