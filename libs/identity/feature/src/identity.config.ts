import { loadExtraConfig, optional, positiveInt } from '@kairos/config';
import { DEFAULT_MATCH_THRESHOLDS, type MatchThresholds } from './domain/matching';
import { DEFAULT_MERGE_POLICY, withLimits, type MergePolicy } from './domain/merge-policy';

/** Identity-resolution's own settings, on top of the shared KairosConfig. */
export interface IdentitySettings {
  mergePolicy: MergePolicy;
  /** Probabilistic matching: auto-merge at or above `upper`, review from `lower`. */
  matchThresholds: MatchThresholds;
}

/** Nest token for {@link IdentitySettings}. */
export const IDENTITY_SETTINGS = Symbol('kairos.identity.settings');

/**
 * The merge policy's limits default to DEFAULT_MERGE_POLICY; each can be overridden, e.g.
 * KAIROS_IDENTITY_MAX_EMAILS=3. The match thresholds default to DEFAULT_MATCH_THRESHOLDS
 * (chosen with bench/identity/match-quality.ts); KAIROS_IDENTITY_MATCH_UPPER / _LOWER override
 * them (whole numbers, lower < upper).
 */
export function loadIdentitySettings(env?: Record<string, string | undefined>): IdentitySettings {
  const vars = loadExtraConfig(
    {
      KAIROS_IDENTITY_MAX_USER_IDS: optional(positiveInt),
      KAIROS_IDENTITY_MAX_EMAILS: optional(positiveInt),
      KAIROS_IDENTITY_MAX_PHONES: optional(positiveInt),
      KAIROS_IDENTITY_MAX_ANONYMOUS_IDS: optional(positiveInt),
      KAIROS_IDENTITY_MATCH_UPPER: optional(positiveInt),
      KAIROS_IDENTITY_MATCH_LOWER: optional(positiveInt),
    },
    env,
  );
  const matchThresholds: MatchThresholds = {
    upper: vars.KAIROS_IDENTITY_MATCH_UPPER ?? DEFAULT_MATCH_THRESHOLDS.upper,
    lower: vars.KAIROS_IDENTITY_MATCH_LOWER ?? DEFAULT_MATCH_THRESHOLDS.lower,
  };
  if (!(matchThresholds.lower < matchThresholds.upper)) {
    throw new Error(
      `KAIROS_IDENTITY_MATCH_LOWER (${matchThresholds.lower}) must be below KAIROS_IDENTITY_MATCH_UPPER (${matchThresholds.upper})`,
    );
  }
  return {
    matchThresholds,
    mergePolicy: withLimits(DEFAULT_MERGE_POLICY, {
      user_id: vars.KAIROS_IDENTITY_MAX_USER_IDS,
      email: vars.KAIROS_IDENTITY_MAX_EMAILS,
      phone: vars.KAIROS_IDENTITY_MAX_PHONES,
      anonymous_id: vars.KAIROS_IDENTITY_MAX_ANONYMOUS_IDS,
    }),
  };
}
