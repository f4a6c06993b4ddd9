import { z } from 'zod';
import { IsoTimestamp, ProfileId } from './common';

/** Two profiles became one; `mergedProfileId` no longer exists after this. */
export const ProfilesMerged = z.object({
  mergeId: z.string().uuid(),
  survivorProfileId: ProfileId,
  mergedProfileId: ProfileId,
  /** Which rule merged them, e.g. "shared-identifier:email". */
  rule: z.string(),
  evidenceEventId: z.string(),
  mergedAt: IsoTimestamp,
});
export type ProfilesMerged = z.infer<typeof ProfilesMerged>;
