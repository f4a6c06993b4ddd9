import type { ConsentState } from '@kairos/contracts';

/**
 * What the renderer reads from the hot store at send time, parsed from the raw Redis replies.
 * The hash layout is identity-resolution's (`toHotProfileHash`): string fields, null values left
 * out, traits as one JSON string. Contains PII: never log it.
 */
export interface Recipient {
  email: string | undefined;
  firstName: string | undefined;
  lastName: string | undefined;
  /** IANA time zone, for greetings by local time; undefined → UTC. */
  timezone: string | undefined;
  emailConsent: ConsentState;
  traits: Record<string, unknown>;
}

export interface Recommendation {
  productId: string;
  name: string | undefined;
  score: number | undefined;
  /** Why it is recommended, in words ("Because you viewed Trail Tent 2P"), when known. */
  reason: string | undefined;
  imageUrl: string | undefined;
  url: string | undefined;
}

export interface HotSendData {
  /** undefined when the hot store has no profile for the id. */
  recipient: Recipient | undefined;
  recommendations: Recommendation[];
  /** Segmentation's computed traits (hash fields as strings). */
  computedTraits: Record<string, string>;
  segments: string[];
}

/** Recommendations shown in one email. */
export const MAX_RECOMMENDATIONS = 4;

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function parseJsonObject(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

export function parseRecipient(
  hash: Record<string, string> | null | undefined,
): Recipient | undefined {
  if (!hash || Object.keys(hash).length === 0) return undefined;
  const consent = hash['emailConsent'];
  return {
    email: nonEmpty(hash['email']),
    firstName: nonEmpty(hash['firstName']),
    lastName: nonEmpty(hash['lastName']),
    timezone: nonEmpty(hash['timezone']),
    emailConsent: consent === 'subscribed' || consent === 'unsubscribed' ? consent : 'unknown',
    traits: parseJsonObject(hash['traits']),
  };
}

/**
 * The recommender's top-N (a JSON array). Unreadable data is treated as "no recommendations":
 * the hot store is a cache, and an email without suggestions beats no email.
 */
export function parseRecommendations(
  json: string | null | undefined,
  limit = MAX_RECOMMENDATIONS,
): Recommendation[] {
  if (!json) return [];
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  const out: Recommendation[] = [];
  for (const entry of value) {
    if (out.length >= limit) break;
    if (typeof entry !== 'object' || entry === null) continue;
    const e = entry as Record<string, unknown>;
    const productId = nonEmpty(e['productId']);
    if (!productId) continue;
    out.push({
      productId,
      name: nonEmpty(e['name']),
      score: typeof e['score'] === 'number' ? e['score'] : undefined,
      reason: reasonText(e['reason']),
      imageUrl: nonEmpty(e['imageUrl']),
      url: nonEmpty(e['url']),
    });
  }
  return out;
}

/**
 * The recommender writes `reason` as `{ model, seedProductId?, seedName? }` (older entries: a
 * plain string). Only a reason a person can read is kept: "Because you viewed <seed>" for the
 * personal models with a named seed item, "Popular right now" for popularity.
 */
export function reasonText(reason: unknown): string | undefined {
  if (typeof reason === 'string') return nonEmpty(reason);
  if (typeof reason !== 'object' || reason === null) return undefined;
  const r = reason as Record<string, unknown>;
  const seedName = nonEmpty(r['seedName']);
  if ((r['model'] === 'als' || r['model'] === 'content') && seedName)
    return `Because you viewed ${seedName}`;
  if (r['model'] === 'popularity') return 'Popular right now';
  return undefined;
}
