import {
  groupPriority,
  keyString,
  keysToCreate,
  type IdentifierGroup,
  type IdentifierKey,
} from '../identifier-keys';
import { IDENTIFIER_PRIORITY, limitOf, priorityOf, type MergePolicy } from './merge-policy';

/** An existing identifier the event carries, and the profile it belongs to. */
export interface ExistingIdentifier extends IdentifierKey {
  profileId: string;
}

/** A profile the event's identifiers point to, with how many identifiers of each type it has. */
export interface GuardedCandidate {
  id: string;
  createdAt: Date;
  counts: Readonly<Record<string, number>>;
}

/** A link the guard rails refused: a merge with `otherProfileId`, or (null) a new identifier. */
export interface Refusal {
  rule: string;
  otherProfileId: string | null;
  /** The event's identifiers that would have made the link. */
  identifiers: IdentifierKey[];
}

export interface GuardedResolution {
  /** The groups the event is resolved with (what the guard rails let through). */
  groups: IdentifierGroup[];
  /** The candidates the event is resolved against (create / attach / merge is planned on them). */
  candidates: GuardedCandidate[];
  /** Identifiers to create on the resolved profile. */
  toCreate: IdentifierKey[];
  refusals: Refusal[];
}

interface Violation {
  type: string;
  combined: number;
}

/**
 * Apply the per-type limits to what an event would do, Segment-style: while resolving the
 * event's identifiers as one person would put more identifiers of a type on one profile than
 * the policy allows, leave out the lowest-priority identifier group that causes it (userId >
 * email > phone > anonymousId; among equals, the later one) and look again. What is left out
 * is refused, never linked: a profile it would have merged is a refused merge, a new value a
 * refused link. So the event ends up attributed to the highest-priority profile it matches.
 *
 * Only a change can violate: a type counts as violated when the combined count exceeds the
 * limit *and* exceeds what the largest single candidate already holds (a profile that is over
 * the limit from before — e.g. after the limit was lowered — can still receive its own events).
 *
 * Pure and deterministic; identifiers are unique across profiles, so combined counts are sums.
 */
export function applyGuardRails(
  groups: readonly IdentifierGroup[],
  existing: readonly ExistingIdentifier[],
  candidates: readonly GuardedCandidate[],
  policy: MergePolicy,
): GuardedResolution {
  const owner = new Map(existing.map((row) => [keyString(row), row.profileId]));
  const have = new Set(owner.keys());
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const matched = (kept: readonly IdentifierGroup[]) =>
    new Set(kept.flat().flatMap((key) => owner.get(keyString(key)) ?? []));

  const combinedCounts = (kept: readonly IdentifierGroup[]): Map<string, number> => {
    const totals = new Map<string, number>();
    for (const id of matched(kept)) {
      for (const [type, n] of Object.entries(byId.get(id)?.counts ?? {}))
        totals.set(type, (totals.get(type) ?? 0) + n);
    }
    for (const key of keysToCreate(kept, existing))
      totals.set(key.type, (totals.get(key.type) ?? 0) + 1);
    return totals;
  };

  const violation = (kept: readonly IdentifierGroup[]): Violation | undefined => {
    const totals = combinedCounts(kept);
    const ids = [...matched(kept)];
    const types = [
      ...IDENTIFIER_PRIORITY,
      ...[...totals.keys()].filter((t) => !IDENTIFIER_PRIORITY.includes(t as never)).sort(),
    ];
    for (const type of types) {
      const combined = totals.get(type) ?? 0;
      const largest = Math.max(0, ...ids.map((id) => byId.get(id)?.counts[type] ?? 0));
      if (combined > limitOf(policy, type) && combined > largest) return { type, combined };
    }
    return undefined;
  };

  let kept = [...groups];
  const dropped: { group: IdentifierGroup; rule: string }[] = [];
  for (let v = violation(kept); v && kept.length > 1; v = violation(kept)) {
    const type = v.type;
    // Lowest priority first; among equals the later group (the earlier ones name the event).
    const order = kept
      .map((group, index) => ({ group, index, rank: groupPriority(group, have) }))
      .sort((a, b) => b.rank - a.rank || b.index - a.index);
    const helps = order.find(
      ({ index }) =>
        (combinedCounts(kept.filter((_, i) => i !== index)).get(type) ?? 0) < v.combined,
    );
    const victim = helps ?? order[0];
    dropped.push({ group: victim.group, rule: `limit:${type}` });
    kept = kept.filter((_, i) => i !== victim.index);
  }

  let finalIds = matched(kept);
  const last = violation(kept);
  if (last && finalIds.size > 1) {
    // One group left whose alternatives point to several profiles (alias previousId): keep the
    // profile its best alternative names; refuse merging the others.
    const best = [...finalIds].sort(
      (a, b) =>
        bestRank(kept, owner, a) - bestRank(kept, owner, b) ||
        byId.get(a)!.createdAt.getTime() - byId.get(b)!.createdAt.getTime() ||
        (a < b ? -1 : 1),
    )[0];
    for (const group of kept) {
      const others = group.filter((k) => (owner.get(keyString(k)) ?? best) !== best);
      if (others.length > 0) dropped.push({ group: others, rule: `limit:${last.type}` });
    }
    kept = kept.map((group) => group.filter((k) => (owner.get(keyString(k)) ?? best) === best));
    finalIds = new Set([best]);
  }

  const refusals: Refusal[] = [];
  const refusedProfiles = new Map<string, Refusal>();
  for (const { group, rule } of dropped) {
    const present = group.filter((key) => owner.has(keyString(key)));
    if (present.length === 0) {
      refusals.push({ rule, otherProfileId: null, identifiers: [group[0]] });
      continue;
    }
    for (const key of present) {
      const profileId = owner.get(keyString(key))!;
      // Still resolved through another identifier: nothing was refused.
      if (finalIds.has(profileId)) continue;
      const refusal = refusedProfiles.get(profileId);
      if (refusal) refusal.identifiers.push(key);
      else {
        const created: Refusal = { rule, otherProfileId: profileId, identifiers: [key] };
        refusedProfiles.set(profileId, created);
        refusals.push(created);
      }
    }
  }

  return {
    groups: kept,
    candidates: candidates.filter((c) => finalIds.has(c.id)),
    toCreate: keysToCreate(kept, existing),
    refusals: refusals.map((r) => ({ ...r, identifiers: r.identifiers.map(plainKey) })),
  };
}

function bestRank(
  groups: readonly IdentifierGroup[],
  owner: ReadonlyMap<string, string>,
  profileId: string,
): number {
  const ranks = groups
    .flat()
    .filter((k) => owner.get(keyString(k)) === profileId)
    .map((k) => IDENTIFIER_PRIORITY.indexOf(k.type as never))
    .map((r) => (r === -1 ? IDENTIFIER_PRIORITY.length : r));
  return Math.min(IDENTIFIER_PRIORITY.length, ...ranks);
}

function plainKey({ type, value }: IdentifierKey): IdentifierKey {
  return { type, value };
}

/**
 * The guard rails for merging two whole profiles (probabilistic or reviewed merges, which no
 * event's identifiers drive): the merge is refused, with rule `limit:<type>`, when the combined
 * identifiers of a type would exceed the policy's limit and exceed what the larger of the two
 * already holds (the same "only a change can violate" reading as {@link applyGuardRails}). Two
 * profiles with different userIds are two accounts: with the default limit of one userId, they
 * are never merged this way.
 */
export function pairMergeRefusal(
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
  policy: MergePolicy,
): string | undefined {
  const types = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(
    (x, y) => priorityOf(x) - priorityOf(y) || (x < y ? -1 : x > y ? 1 : 0),
  );
  for (const type of types) {
    const combined = (a[type] ?? 0) + (b[type] ?? 0);
    const largest = Math.max(a[type] ?? 0, b[type] ?? 0);
    if (combined > limitOf(policy, type) && combined > largest) return `limit:${type}`;
  }
  return undefined;
}
