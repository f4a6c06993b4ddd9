import { EventTypes, type MembershipChanged } from '@kairos/contracts';
import type { OutgoingMessage } from '@kairos/messaging';

/** What changed for one profile: only actual changes (staying in a segment is not listed). */
export interface MembershipDiff {
  entered: readonly string[];
  exited: readonly string[];
}

/**
 * The `segments.memberships.v1` messages for a membership diff, exits first (a consumer that
 * sees "exited A, entered B" never believes the profile was in both). Keyed by profileId so a
 * profile's changes stay in order. The message id is derived from the cause, so re-deriving the
 * same change (e.g. replaying a merge) yields the same ce_id and downstream dedupe drops it.
 */
export function membershipMessages(
  profileId: string,
  diff: MembershipDiff,
  at: Date,
  causeId: string,
): OutgoingMessage[] {
  const changes: Array<[string, MembershipChanged['change']]> = [
    ...diff.exited.map((id): [string, 'exited'] => [id, 'exited']),
    ...diff.entered.map((id): [string, 'entered'] => [id, 'entered']),
  ];
  return changes.map(([segmentId, change]) => {
    const value: MembershipChanged = {
      profileId,
      segmentId,
      change,
      at: at.toISOString(),
      causeId,
    };
    return {
      key: profileId,
      value,
      type: EventTypes.MembershipChanged,
      id: `${causeId}:${profileId}:${segmentId}:${change}`,
      time: value.at,
    };
  });
}
