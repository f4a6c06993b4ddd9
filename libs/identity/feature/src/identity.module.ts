import { Module } from '@nestjs/common';
import { HotProfileRepository } from './hot-profile.repository';
import { IdentifierRepository } from './identifier.repository';
import { IdentityOutboxRelay } from './identity-outbox.relay';
import { IdentityConsumer } from './identity.consumer';
import { MergeRepository } from './merge.repository';
import { ProfileRepository } from './profile.repository';
import { ResolveEventUseCase } from './resolve-event.use-case';

/**
 * Identity resolution: attributes every accepted event to one profile through the identity
 * graph, versions profiles, audits merges, and keeps the Redis hot profile. Uses the global
 * DataSource/Outbox/ProcessedEvents (PersistenceModule), KafkaPublisher, Redis, HotKeys, Clock
 * and config the app module provides.
 */
@Module({
  controllers: [IdentityConsumer],
  providers: [
    IdentifierRepository,
    ProfileRepository,
    MergeRepository,
    HotProfileRepository,
    IdentityOutboxRelay,
    ResolveEventUseCase,
  ],
  exports: [ResolveEventUseCase],
})
export class IdentityFeatureModule {}
