import { z } from 'zod';
import { IsoTimestamp, ProfileId } from './common';

/**
 * What an `identity.merges.v1` message announces about a merge:
 * - 'merge' (or absent, as before this field existed): two profiles became one;
 *   `mergedProfileId` no longer exists after this.
 * - 'unmerge': an operator reverted merge `mergeId`; `mergedProfileId` exists again (same id,
 *   with the identifiers the merge had moved) and `survivorProfileId` lost those identifiers.
 *   Both profiles' new state follows on `profiles.changes.v1`.
 *
 * An unmerge message carries the *same* mergeId as the merge it reverts, so a consumer that
 * predates `kind` and dedupes on mergeId treats it as a duplicate (a no-op) rather than merging
 * again. Consumers that move state on merges should handle 'unmerge' explicitly.
 */
export const MergeAnnouncementKind = z.enum(['merge', 'unmerge']);
export type MergeAnnouncementKind = z.infer<typeof MergeAnnouncementKind>;

export const ProfilesMerged = z.object({
  mergeId: z.string().uuid(),
  survivorProfileId: ProfileId,
  mergedProfileId: ProfileId,
  /** Which rule merged them, e.g. "shared-identifier:email" or "probabilistic". */
  rule: z.string(),
  evidenceEventId: z.string(),
  mergedAt: IsoTimestamp,
  /** Absent means 'merge' (additive field; see above). */
  kind: MergeAnnouncementKind.optional(),
  /** For kind 'unmerge': when the merge was reverted. */
  unmergedAt: IsoTimestamp.optional(),
});
export type ProfilesMerged = z.infer<typeof ProfilesMerged>;

/** The kind of a merge announcement ('merge' when the field is absent). */
export function mergeAnnouncementKind(
  message: Pick<ProfilesMerged, 'kind'>,
): MergeAnnouncementKind {
  return message.kind ?? 'merge';
}
