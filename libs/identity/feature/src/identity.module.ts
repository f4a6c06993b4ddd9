import { Module } from '@nestjs/common';
import { HotProfileRepository } from './hot-profile.repository';
import { IdentifierRepository } from './identifier.repository';
import { IdentityOutboxRelay } from './identity-outbox.relay';
import { IdentityAdminController } from './identity-admin.controller';
import { IdentityConsumer } from './identity.consumer';
import { ProfileAdminService } from './profile-admin.service';
import { UnmergeUseCase } from './unmerge.use-case';
import { IDENTITY_SETTINGS, loadIdentitySettings } from './identity.config';
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
  controllers: [IdentityConsumer, IdentityAdminController],
  providers: [
    IdentifierRepository,
    ProfileRepository,
    MergeRepository,
    HotProfileRepository,
    IdentityOutboxRelay,
    ResolveEventUseCase,
    UnmergeUseCase,
    ProfileAdminService,
    { provide: IDENTITY_SETTINGS, useFactory: () => loadIdentitySettings() },
  ],
  exports: [ResolveEventUseCase, UnmergeUseCase, ProfileAdminService],
})
export class IdentityFeatureModule {}
