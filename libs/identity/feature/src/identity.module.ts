import { Module } from '@nestjs/common';
import { BlockingKeyRepository } from './blocking-key.repository';
import { DecideMatchReviewUseCase } from './decide-match-review.use-case';
import { MatchBatchService } from './match-batch.service';
import { MatchReviewRepository } from './match-review.repository';
import { ProbabilisticMatchingService } from './probabilistic-matching.service';
import { ProfileMergeService } from './profile-merge.service';
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
 * graph (and, probabilistically, through matching names, birth date and address), versions
 * profiles, audits merges, queues uncertain matches for review, and keeps the Redis hot profile. Uses the global
 * DataSource/Outbox/ProcessedEvents (PersistenceModule), KafkaPublisher, Redis, HotKeys, Clock
 * and config the app module provides.
 */
@Module({
  controllers: [IdentityConsumer, IdentityAdminController],
  providers: [
    IdentifierRepository,
    ProfileRepository,
    MergeRepository,
    BlockingKeyRepository,
    MatchReviewRepository,
    HotProfileRepository,
    IdentityOutboxRelay,
    ProfileMergeService,
    ProbabilisticMatchingService,
    ResolveEventUseCase,
    UnmergeUseCase,
    DecideMatchReviewUseCase,
    MatchBatchService,
    ProfileAdminService,
    { provide: IDENTITY_SETTINGS, useFactory: () => loadIdentitySettings() },
  ],
  exports: [
    ResolveEventUseCase,
    UnmergeUseCase,
    DecideMatchReviewUseCase,
    MatchBatchService,
    ProfileAdminService,
  ],
})
export class IdentityFeatureModule {}
