import { z } from 'zod';
import { AcceptedEvent } from './accepted-event';
import { ProfileId } from './common';

/** An accepted event attributed to exactly one profile by identity resolution. */
export const ResolvedEvent = AcceptedEvent.extend({
  profileId: ProfileId,
});

export type ResolvedEvent = z.infer<typeof ResolvedEvent>;
