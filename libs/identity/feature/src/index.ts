import { BlockingKeyEntity } from './blocking-key.entity';
import { IdentifierEntity } from './identifier.entity';
import { MatchReviewEntity } from './match-review.entity';
import { MergeRefusalEntity } from './merge-refusal.entity';
import { MergeEntity } from './merge.entity';
import { GuardRailsAndUnmerge1795500000000 } from './migrations/1795500000000-GuardRailsAndUnmerge';
import { CreateIdentityTables1795414713904 } from './migrations/1795414713904-CreateIdentityTables';
import { ProbabilisticMatching1795600000000 } from './migrations/1795600000000-ProbabilisticMatching';
import { ProfileVersionEntity } from './profile-version.entity';
import { ProfileEntity } from './profile.entity';

export * from './identity.module';
export * from './resolve-event.use-case';
export * from './unmerge.use-case';
export * from './decide-match-review.use-case';
export * from './match-batch.service';
export * from './probabilistic-matching.service';
export * from './match-review.entity';
export * from './blocking-key.entity';
export * from './rebuild-hot-store';
/** Pure probabilistic-matching logic (also used by bench/identity). */
export * from './domain/matching';
export * from './profile-admin.service';
export * from './identity.exception';
export * from './profile.entity';
export * from './identifier.entity';
export * from './profile-version.entity';
export * from './merge.entity';
export * from './merge-refusal.entity';
export * from './identity.config';

/** The entities of the `identity` schema, for PersistenceModule.forRoot and the migrate CLI. */
export const IDENTITY_ENTITIES = [
  ProfileEntity,
  IdentifierEntity,
  ProfileVersionEntity,
  MergeEntity,
  MergeRefusalEntity,
  BlockingKeyEntity,
  MatchReviewEntity,
];

/** Migrations in order; each new one is appended. */
export const IDENTITY_MIGRATIONS = [
  CreateIdentityTables1795414713904,
  GuardRailsAndUnmerge1795500000000,
  ProbabilisticMatching1795600000000,
];
