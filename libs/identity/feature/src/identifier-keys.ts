import type { AcceptedEvent } from '@kairos/contracts';
import {
  IdentifierTypes,
  junkReason,
  normalizePhone,
  priorityOf,
  type MergePolicy,
} from './domain/merge-policy';

export { IdentifierTypes, type IdentifierType } from './domain/merge-policy';

/** One node of the identity graph: (type, value) is unique and belongs to exactly one profile. */
export interface IdentifierKey {
  type: string;
  value: string;
}

/**
 * What an event says about who it is about, as groups of alternatives: the event matches a
 * group when *any* alternative exists in the graph; when none does, the group's first
 * alternative is created. Most groups have one alternative; alias' previousId has two, because
 * Segment does not say whether the previous id was an anonymousId (the usual case, so it is
 * what gets recorded) or an earlier userId.
 */
export type IdentifierGroup = readonly IdentifierKey[];

export function identifierGroups(event: AcceptedEvent): IdentifierGroup[] {
  const groups: IdentifierGroup[] = [];
  if (event.userId) groups.push([{ type: IdentifierTypes.UserId, value: event.userId }]);
  if (event.anonymousId)
    groups.push([{ type: IdentifierTypes.AnonymousId, value: event.anonymousId }]);
  if (event.previousId) {
    groups.push([
      { type: IdentifierTypes.AnonymousId, value: event.previousId },
      { type: IdentifierTypes.UserId, value: event.previousId },
    ]);
  }
  // Ingest already canonicalized (trimmed, lower-cased, syntax-checked) the email.
  const email = event.type === 'identify' ? event.traits.email : undefined;
  if (typeof email === 'string' && email !== '')
    groups.push([{ type: IdentifierTypes.Email, value: email }]);
  const phone = event.type === 'identify' ? event.traits.phone : undefined;
  if (typeof phone === 'string' || typeof phone === 'number') {
    const normalized = normalizePhone(String(phone));
    if (normalized !== '') groups.push([{ type: IdentifierTypes.Phone, value: normalized }]);
  }
  return groups;
}

/** An identifier left out because its value is junk; carries no value (it may be PII). */
export interface IgnoredIdentifier {
  type: string;
  reason: string;
}

/**
 * The groups without junk alternatives ("null", "test@test.com", 0000000000, …): junk is never
 * linked, because every profile sending it would otherwise merge into one. A group whose every
 * alternative is junk disappears.
 */
export function withoutJunk(
  groups: readonly IdentifierGroup[],
  policy: MergePolicy,
): { groups: IdentifierGroup[]; ignored: IgnoredIdentifier[] } {
  const ignored: IgnoredIdentifier[] = [];
  const kept: IdentifierGroup[] = [];
  for (const group of groups) {
    const usable = group.filter((key) => {
      const reason = junkReason(policy, key.type, key.value);
      if (reason !== undefined) ignored.push({ type: key.type, reason });
      return reason === undefined;
    });
    if (usable.length > 0) kept.push(usable);
  }
  return { groups: kept, ignored };
}

/** The priority rank of a group: that of its first alternative that exists, else its first. */
export function groupPriority(group: IdentifierGroup, existing: ReadonlySet<string>): number {
  const present = group.find((key) => existing.has(keyString(key))) ?? group[0];
  return priorityOf(present.type);
}

/** Every key worth looking up, deduplicated and sorted (sorted = locks taken in one order). */
export function lookupKeys(groups: readonly IdentifierGroup[]): IdentifierKey[] {
  return sortKeys(groups.flat());
}

/** The keys to insert: the first alternative of each group none of whose alternatives exists. */
export function keysToCreate(
  groups: readonly IdentifierGroup[],
  existing: readonly IdentifierKey[],
): IdentifierKey[] {
  const have = new Set(existing.map(keyString));
  return sortKeys(
    groups.filter((group) => !group.some((k) => have.has(keyString(k)))).map((group) => group[0]),
  );
}

/** Sorted by (type, value) without duplicates. */
export function sortKeys(keys: readonly IdentifierKey[]): IdentifierKey[] {
  const unique = new Map(keys.map((k) => [keyString(k), k]));
  return [...unique.values()].sort((a, b) => compare(a.type, b.type) || compare(a.value, b.value));
}

export function keyString(key: IdentifierKey): string {
  return `${key.type}\u0000${key.value}`;
}

/** Plain code-unit order, the same everywhere (localeCompare would depend on the locale). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
