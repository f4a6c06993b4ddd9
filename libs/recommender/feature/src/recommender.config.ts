import { loadExtraConfig, positiveInt, v } from '@kairos/config';
import { DAY_MS, DEFAULT_ALS_CONFIG, type AlsConfig } from '@kairos/recommender/domain';
import { z } from 'zod';

const nonNegativeInt = z.coerce.number().int().min(0);
const positiveNumber = z.coerce.number().positive();

/** The recommender's own settings, on top of the shared KairosConfig. */
export interface RecommenderSettings {
  /** Train every this many ms (0 = never on a schedule; the command and the endpoint still work). */
  trainIntervalMs: number;
  /** How often a running service looks for a newer trained model (e.g. from the CLI); 0 = never. */
  modelPollMs: number;
  /** How many recommendations are stored per profile. */
  topN: number;
  als: AlsConfig;
  /** Threads for ALS (this one + workers); below `alsMinNnzForThreads` training stays on one. */
  alsThreads: number;
  alsMinNnzForThreads: number;
  /** Half-life of interactions in the ALS/content input. */
  interactionHalfLifeMs: number;
  /** Half-life of the trending (popularity) scores. */
  trendingHalfLifeMs: number;
}

/** Nest token for {@link RecommenderSettings}. */
export const RECOMMENDER_SETTINGS = Symbol('kairos.recommender.settings');

const SIX_HOURS_MS = 6 * 60 * 60 * 1000;

/**
 * KAIROS_RECOMMENDER_* variables; ALS defaults are the domain's (chosen on the bench). Half-lives
 * are in days (fractions allowed).
 */
export function loadRecommenderSettings(
  env?: Record<string, string | undefined>,
): RecommenderSettings {
  const vars = loadExtraConfig(
    {
      KAIROS_RECOMMENDER_TRAIN_INTERVAL_MS: v(nonNegativeInt, String(SIX_HOURS_MS)),
      KAIROS_RECOMMENDER_MODEL_POLL_MS: v(nonNegativeInt, '60000'),
      KAIROS_RECOMMENDER_TOP_N: v(positiveInt.max(50), '10'),
      KAIROS_RECOMMENDER_ALS_FACTORS: v(positiveInt, String(DEFAULT_ALS_CONFIG.factors)),
      KAIROS_RECOMMENDER_ALS_ITERATIONS: v(positiveInt, String(DEFAULT_ALS_CONFIG.iterations)),
      KAIROS_RECOMMENDER_ALS_REGULARIZATION: v(
        positiveNumber,
        String(DEFAULT_ALS_CONFIG.regularization),
      ),
      KAIROS_RECOMMENDER_ALS_ALPHA: v(positiveNumber, String(DEFAULT_ALS_CONFIG.alpha)),
      KAIROS_RECOMMENDER_ALS_THREADS: v(positiveInt, '2'),
      KAIROS_RECOMMENDER_ALS_MIN_NNZ_FOR_THREADS: v(nonNegativeInt, '50000'),
      KAIROS_RECOMMENDER_INTERACTION_HALF_LIFE_DAYS: v(positiveNumber, '60'),
      KAIROS_RECOMMENDER_TRENDING_HALF_LIFE_DAYS: v(positiveNumber, '14'),
    },
    env,
  );
  return {
    trainIntervalMs: vars.KAIROS_RECOMMENDER_TRAIN_INTERVAL_MS,
    modelPollMs: vars.KAIROS_RECOMMENDER_MODEL_POLL_MS,
    topN: vars.KAIROS_RECOMMENDER_TOP_N,
    als: {
      ...DEFAULT_ALS_CONFIG,
      factors: vars.KAIROS_RECOMMENDER_ALS_FACTORS,
      iterations: vars.KAIROS_RECOMMENDER_ALS_ITERATIONS,
      regularization: vars.KAIROS_RECOMMENDER_ALS_REGULARIZATION,
      alpha: vars.KAIROS_RECOMMENDER_ALS_ALPHA,
    },
    alsThreads: vars.KAIROS_RECOMMENDER_ALS_THREADS,
    alsMinNnzForThreads: vars.KAIROS_RECOMMENDER_ALS_MIN_NNZ_FOR_THREADS,
    interactionHalfLifeMs: vars.KAIROS_RECOMMENDER_INTERACTION_HALF_LIFE_DAYS * DAY_MS,
    trendingHalfLifeMs: vars.KAIROS_RECOMMENDER_TRENDING_HALF_LIFE_DAYS * DAY_MS,
  };
}
