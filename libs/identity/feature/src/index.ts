import { IdentifierEntity } from './identifier.entity';
import { MergeRefusalEntity } from './merge-refusal.entity';
import { MergeEntity } from './merge.entity';
import { GuardRailsAndUnmerge1795500000000 } from './migrations/1795500000000-GuardRailsAndUnmerge';
import { CreateIdentityTables1795414713904 } from './migrations/1795414713904-CreateIdentityTables';
import { ProfileVersionEntity } from './profile-version.entity';
import { ProfileEntity } from './profile.entity';

export * from './identity.module';
export * from './resolve-event.use-case';
export * from './unmerge.use-case';
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
];

/** Migrations in order; each new one is appended. */
export const IDENTITY_MIGRATIONS = [
  CreateIdentityTables1795414713904,
  GuardRailsAndUnmerge1795500000000,
];
