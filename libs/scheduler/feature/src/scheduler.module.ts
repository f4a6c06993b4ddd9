import { Inject, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { KairosConfig } from '@kairos/config';
import { KafkaPublisher } from '@kairos/messaging';
import { Outbox, OutboxRelay } from '@kairos/persistence';
import { KAIROS_CONFIG } from '@kairos/service-kit';
import { DataSource } from 'typeorm';
import { ArmingService } from './arming.service';
import { DecisionRepository } from './decision.repository';
import { FireDueTimersUseCase } from './fire-due-timers.use-case';
import { FiringRepository } from './firing.repository';
import { HandleCartEventUseCase } from './handle-cart-event.use-case';
import { HandleEngagementEventUseCase } from './handle-engagement-event.use-case';
import { HandleMembershipUseCase } from './handle-membership.use-case';
import { ListDecisionsUseCase } from './list-decisions.use-case';
import { ManageTriggersUseCase } from './manage-triggers.use-case';
import { ProfileActivityRepository } from './profile-activity.repository';
import { ProfileProjectionRepository } from './profile-projection.repository';
import { ProjectProfileUseCase } from './project-profile.use-case';
import { RecordOutcomeUseCase } from './record-outcome.use-case';
import { SCHEDULER_CONFIG, loadSchedulerConfig } from './scheduler.config';
import { SchedulerConsumer } from './scheduler.consumer';
import { SchedulerController } from './scheduler.controller';
import { TimerDispatcher } from './timer-dispatcher';
import { TimerRepository } from './timer.repository';
import { TriggerDefinitionRepository } from './trigger-definition.repository';
import { TriggerPlanner } from './trigger-planner.service';

/**
 * The trigger-scheduler: durable timers armed by events (cart, profile, engagement, segment
 * membership) per configurable trigger definitions, fired by a leasing dispatcher through the
 * firing guards, published through this module's own outbox relay. Needs the app's ServiceKit, Messaging and Persistence modules.
 */
@Module({
  controllers: [SchedulerConsumer, SchedulerController],
  providers: [
    { provide: SCHEDULER_CONFIG, useFactory: () => loadSchedulerConfig() },
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
    TimerRepository,
    DecisionRepository,
    ProfileProjectionRepository,
    ProfileActivityRepository,
    TriggerDefinitionRepository,
    FiringRepository,
    ArmingService,
    TriggerPlanner,
    HandleCartEventUseCase,
    HandleEngagementEventUseCase,
    HandleMembershipUseCase,
    ManageTriggersUseCase,
    ProjectProfileUseCase,
    RecordOutcomeUseCase,
    ListDecisionsUseCase,
    FireDueTimersUseCase,
    TimerDispatcher,
  ],
})
export class SchedulerFeatureModule implements OnModuleInit, OnModuleDestroy {
  constructor(
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    private readonly dispatcher: TimerDispatcher,
  ) {}

  onModuleInit(): void {
    this.relay.start();
    this.dispatcher.start();
  }

  /** Dispatcher first (its last batch may kick the relay), then the relay; before the pool closes. */
  async onModuleDestroy(): Promise<void> {
    await this.dispatcher.stop();
    await this.relay.stop();
  }
}
