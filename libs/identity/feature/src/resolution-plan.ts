import type { AcceptedEvent } from '@kairos/contracts';

/** A profile an event's identifiers point to. */
export interface CandidateProfile {
  id: string;
  createdAt: Date;
}

export type ResolutionPlan =
  | { kind: 'create' }
  | { kind: 'attach'; profileId: string }
  | { kind: 'merge'; survivorId: string; mergedIds: string[] };

/**
 * What to do with an event whose identifiers point to `candidates`: no profile yet → create
 * one; one → attach to it; several → they are one person, merge them into the oldest (which
 * keeps the id downstream systems have known longest). Deterministic: ties on creation time
 * are broken by id, so every replica and every replay picks the same survivor.
 */
export function planResolution(candidates: readonly CandidateProfile[]): ResolutionPlan {
  const unique = [...new Map(candidates.map((c) => [c.id, c])).values()];
  if (unique.length === 0) return { kind: 'create' };
  if (unique.length === 1) return { kind: 'attach', profileId: unique[0].id };
  const [survivor, ...merged] = unique.sort(
    (a, b) =>
      a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return { kind: 'merge', survivorId: survivor.id, mergedIds: merged.map((m) => m.id) };
}

/**
 * The audit rule for merging a profile: how the evidence event tied it to the survivor, by
 * the identifier types of the merged profile the event carried, e.g. "shared-identifier:email"
 * or, for an explicit Segment alias call, "alias:anonymous_id".
 */
export function mergeRule(
  event: Pick<AcceptedEvent, 'type'>,
  sharedTypes: readonly string[],
): string {
  const types = [...new Set(sharedTypes)].sort().join('+');
  return `${event.type === 'alias' ? 'alias' : 'shared-identifier'}:${types}`;
}
