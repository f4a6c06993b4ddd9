/**
 * The guard rails of the identity graph, in one object: how many identifiers of each type one
 * profile may hold, which identifier values are junk (never linked), and which identifier
 * types outrank which when an event's identifiers disagree.
 *
 * Why limits: a shared identifier is evidence of one person only while it is rare. A userId is
 * one account (so one per profile — two userIds on a profile means two people were merged), an
 * email or phone can legitimately be several per person but not dozens, and an anonymousId is
 * one browser/device cookie (many per person over time, but a "person" with hundreds is a shared
 * kiosk or a bot). Without limits, one junk value ("test@test.com", a shared family tablet)
 * snowballs the graph into a single giant profile.
 */

export const IdentifierTypes = {
  UserId: 'user_id',
  Email: 'email',
  Phone: 'phone',
  AnonymousId: 'anonymous_id',
} as const;
export type IdentifierType = (typeof IdentifierTypes)[keyof typeof IdentifierTypes];

/** Highest priority first: a userId outranks an email, which outranks a phone, and so on. */
export const IDENTIFIER_PRIORITY: readonly IdentifierType[] = [
  IdentifierTypes.UserId,
  IdentifierTypes.Email,
  IdentifierTypes.Phone,
  IdentifierTypes.AnonymousId,
];

export interface MergePolicy {
  /** At most this many identifiers of each type on one profile. */
  readonly maxPerProfile: Readonly<Record<IdentifierType, number>>;
  /** Values (compared trimmed and lower-cased) that are never an identifier. */
  readonly blockedValues: ReadonlySet<string>;
}

export const DEFAULT_MERGE_POLICY: MergePolicy = Object.freeze({
  maxPerProfile: Object.freeze({
    [IdentifierTypes.UserId]: 1,
    [IdentifierTypes.Email]: 5,
    [IdentifierTypes.Phone]: 5,
    [IdentifierTypes.AnonymousId]: 100,
  }),
  blockedValues: new Set([
    'null',
    'undefined',
    'none',
    'nil',
    'n/a',
    'na',
    '0',
    '-1',
    'anonymous',
    'unknown',
    'test@test.com',
    'test@example.com',
    'noemail@example.com',
    'email@example.com',
  ]),
});

/** The priority rank of a type: 0 is the highest; unknown types rank below every known one. */
export function priorityOf(type: string): number {
  const rank = IDENTIFIER_PRIORITY.indexOf(type as IdentifierType);
  return rank === -1 ? IDENTIFIER_PRIORITY.length : rank;
}

/** The limit for a type (unknown types are unlimited). */
export function limitOf(policy: MergePolicy, type: string): number {
  return (policy.maxPerProfile as Record<string, number | undefined>)[type] ?? Infinity;
}

/**
 * Why a value is junk, or undefined when it is a usable identifier. Junk: empty or whitespace,
 * a blocked placeholder, a phone whose digits are all the same (0000000000) or too few to be a
 * number (under 7).
 */
export function junkReason(policy: MergePolicy, type: string, value: string): string | undefined {
  const normalized = value.trim().toLowerCase();
  if (normalized === '') return 'empty';
  if (policy.blockedValues.has(normalized)) return 'blocked-value';
  if (type === IdentifierTypes.Phone) {
    const digits = normalized.replace(/\D/g, '');
    if (digits.length < 7) return 'phone-too-short';
    if (/^(\d)\1*$/.test(digits)) return 'phone-same-digit';
  }
  return undefined;
}

/**
 * A phone as an identifier: digits only, with the leading '+' kept (ingest is meant to send
 * E.164; this makes "+44 20 7946-0018" and "+442079460018" one identifier either way).
 */
export function normalizePhone(raw: string): string {
  const trimmed = raw.trim();
  const digits = trimmed.replace(/\D/g, '');
  return trimmed.startsWith('+') ? `+${digits}` : digits;
}

/** The policy with some limits overridden (from configuration). */
export function withLimits(
  base: MergePolicy,
  limits: Partial<Record<IdentifierType, number | undefined>>,
): MergePolicy {
  const maxPerProfile = { ...base.maxPerProfile };
  for (const [type, limit] of Object.entries(limits) as [IdentifierType, number | undefined][]) {
    if (limit !== undefined) maxPerProfile[type] = limit;
  }
  return { ...base, maxPerProfile };
}
