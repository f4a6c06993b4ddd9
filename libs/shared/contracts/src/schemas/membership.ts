import { z } from 'zod';
import { IsoTimestamp, ProfileId } from './common';

/** A profile entered or exited a segment; emitted once per actual change. */
export const MembershipChanged = z.object({
  profileId: ProfileId,
  segmentId: z.string(),
  change: z.enum(['entered', 'exited']),
  at: IsoTimestamp,
  /** The event that caused the change (or the sweep that did). */
  causeId: z.string(),
});
export type MembershipChanged = z.infer<typeof MembershipChanged>;
