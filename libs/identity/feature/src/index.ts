import { IdentifierEntity } from './identifier.entity';
import { MergeEntity } from './merge.entity';
import { CreateIdentityTables1795414713904 } from './migrations/1795414713904-CreateIdentityTables';
import { ProfileVersionEntity } from './profile-version.entity';
import { ProfileEntity } from './profile.entity';

export * from './identity.module';
export * from './resolve-event.use-case';
export * from './profile.entity';
export * from './identifier.entity';
export * from './profile-version.entity';
export * from './merge.entity';

/** The entities of the `identity` schema, for PersistenceModule.forRoot and the migrate CLI. */
export const IDENTITY_ENTITIES = [
  ProfileEntity,
  IdentifierEntity,
  ProfileVersionEntity,
  MergeEntity,
];

/** Migrations in order; each new one is appended. */
export const IDENTITY_MIGRATIONS = [CreateIdentityTables1795414713904];
