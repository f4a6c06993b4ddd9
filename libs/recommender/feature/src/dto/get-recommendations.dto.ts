import { ProfileId } from '@kairos/contracts';
import { RecommendationSettings } from '../recommend';

/** The largest `n` the endpoint accepts; more than the stored top N just returns all of them. */
export const MAX_N = 50;

export interface GetRecommendationsQuery {
  profileId: string;
  n: number;
}

export type ParsedQuery =
  { ok: true; value: GetRecommendationsQuery } | { ok: false; message: string };

/**
 * `GET /recommendations/:profileId?n=3`: profileId is a profile UUID, n an integer in
 * [1, MAX_N] (default: the stored top N). Messages say what was wrong and how to fix it.
 */
export function parseGetRecommendations(profileId: string, n: string | undefined): ParsedQuery {
  if (!ProfileId.safeParse(profileId).success) {
    return {
      ok: false,
      message: `profileId must be a profile UUID, e.g. 5b0c1c2e-8f0a-4a49-9d7e-1f4c3b2a1d00`,
    };
  }
  if (n === undefined || n === '')
    return { ok: true, value: { profileId, n: RecommendationSettings.topN } };
  if (!/^\d+$/.test(n) || Number(n) < 1 || Number(n) > MAX_N) {
    return {
      ok: false,
      message: `n must be a whole number from 1 to ${MAX_N} (got ${JSON.stringify(n.slice(0, 20))})`,
    };
  }
  return { ok: true, value: { profileId, n: Number(n) } };
}
