import { loadExtraConfig, optional, positiveInt } from '@kairos/config';
import { DEFAULT_MERGE_POLICY, withLimits, type MergePolicy } from './domain/merge-policy';

/** Identity-resolution's own settings, on top of the shared KairosConfig. */
export interface IdentitySettings {
  mergePolicy: MergePolicy;
}

/** Nest token for {@link IdentitySettings}. */
export const IDENTITY_SETTINGS = Symbol('kairos.identity.settings');

/**
 * The merge policy's limits default to DEFAULT_MERGE_POLICY; each can be overridden, e.g.
 * KAIROS_IDENTITY_MAX_EMAILS=3.
 */
export function loadIdentitySettings(env?: Record<string, string | undefined>): IdentitySettings {
  const vars = loadExtraConfig(
    {
      KAIROS_IDENTITY_MAX_USER_IDS: optional(positiveInt),
      KAIROS_IDENTITY_MAX_EMAILS: optional(positiveInt),
      KAIROS_IDENTITY_MAX_PHONES: optional(positiveInt),
      KAIROS_IDENTITY_MAX_ANONYMOUS_IDS: optional(positiveInt),
    },
    env,
  );
  return {
    mergePolicy: withLimits(DEFAULT_MERGE_POLICY, {
      user_id: vars.KAIROS_IDENTITY_MAX_USER_IDS,
      email: vars.KAIROS_IDENTITY_MAX_EMAILS,
      phone: vars.KAIROS_IDENTITY_MAX_PHONES,
      anonymous_id: vars.KAIROS_IDENTITY_MAX_ANONYMOUS_IDS,
    }),
  };
}
