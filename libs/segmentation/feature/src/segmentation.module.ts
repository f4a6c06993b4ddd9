import {
  Inject,
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import type { KairosConfig } from '@kairos/config';
import { KafkaPublisher } from '@kairos/messaging';
import { Outbox, OutboxRelay } from '@kairos/persistence';
import { KAIROS_CONFIG } from '@kairos/service-kit';
import { DataSource } from 'typeorm';
import { ApplyProfileChangeUseCase } from './apply-profile-change.use-case';
import { ApplyResolvedEventUseCase } from './apply-resolved-event.use-case';
import { SEEDED_SEGMENT_DEFINITIONS } from './built-in-definitions';
import { ComputedTraitsEntity } from './computed-traits.entity';
import { ComputedTraitsRepository } from './computed-traits.repository';
import { HotCopyService } from './hot-copy.service';
import { HotTraitsRepository } from './hot-traits.repository';
import { MembershipEventEntity } from './membership-event.entity';
import { MembershipEntity } from './membership.entity';
import { MembershipRepository } from './membership.repository';
import { MergeProfilesUseCase } from './merge-profiles.use-case';
import { MergedProfileEntity } from './merged-profile.entity';
import { MergedProfileRepository } from './merged-profile.repository';
import { CreateSegmentationTables1763880000000 } from './migrations/1763880000000-CreateSegmentationTables';
import { DomainTraitsAndDefinitions1764400000000 } from './migrations/1764400000000-DomainTraitsAndDefinitions';
import { ProfileEvaluator } from './profile-evaluator';
import { RunSegmentJobsUseCase } from './run-segment-jobs.use-case';
import { SegmentAdminService } from './segment-admin.service';
import { SegmentCatalog } from './segment-catalog.service';
import { SegmentDefinitionEntity } from './segment-definition.entity';
import { SegmentDefinitionRepository } from './segment-definition.repository';
import { SEGMENTATION_CONFIG, loadSegmentationConfig } from './segmentation.config';
import { SegmentationConsumer } from './segmentation.consumer';
import { SegmentationController } from './segmentation.controller';
import { SegmentationWorker } from './segmentation-worker';
import { SweepTimeUseCase } from './sweep-time.use-case';

export const SEGMENTATION_ENTITIES = [
  ComputedTraitsEntity,
  MembershipEntity,
  MembershipEventEntity,
  SegmentDefinitionEntity,
  MergedProfileEntity,
];
export const SEGMENTATION_MIGRATIONS = [
  CreateSegmentationTables1763880000000,
  DomainTraitsAndDefinitions1764400000000,
];

/**
 * Segmentation on the domain library: computed traits per profile (events, profile changes,
 * merges), segment definitions in Postgres compiled into one program and evaluated
 * incrementally, entered/exited announced on `segments.memberships.v1` through its outbox,
 * traits/segments/primary segment mirrored to Redis, a clock-driven sweep for time passing,
 * and the segment admin API. Uses the global DataSource/Outbox/ProcessedEvents, Redis,
 * KafkaPublisher and Clock the app module provides.
 */
@Module({
  controllers: [SegmentationConsumer, SegmentationController],
  providers: [
    { provide: SEGMENTATION_CONFIG, useFactory: () => loadSegmentationConfig() },
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
    MergedProfileRepository,
    SegmentDefinitionRepository,
    HotTraitsRepository,
    HotCopyService,
    SegmentCatalog,
    ProfileEvaluator,
    ApplyResolvedEventUseCase,
    ApplyProfileChangeUseCase,
    MergeProfilesUseCase,
    SweepTimeUseCase,
    RunSegmentJobsUseCase,
    SegmentationWorker,
    SegmentAdminService,
  ],
})
export class SegmentationFeatureModule
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger(SegmentationFeatureModule.name);

  constructor(
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    private readonly worker: SegmentationWorker,
    private readonly dataSource: DataSource,
    private readonly definitions: SegmentDefinitionRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Seed the built-in definitions (ids that do not exist yet only), then start the relay (it
   * also publishes rows left over from before a restart) and the worker (which evaluates any
   * newly seeded definition over existing profiles, and sweeps).
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      for (const definition of SEEDED_SEGMENT_DEFINITIONS)
        await this.definitions.insert(manager, definition, 'dynamic', this.clock.now(), {
          builtIn: true,
          ifAbsent: true,
        });
    });
    this.logger.log(`${SEEDED_SEGMENT_DEFINITIONS.length} built-in segment definition(s) ensured`);
    this.relay.start();
    this.worker.start();
  }

  /** Worker first (its last batch may kick the relay), then the relay; before the pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.stop();
    await this.relay.stop();
  }
}
