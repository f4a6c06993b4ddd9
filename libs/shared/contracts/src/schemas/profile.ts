import { z } from 'zod';
import { IsoTimestamp, JsonObject, ProfileId } from './common';

export const ConsentState = z.enum(['subscribed', 'unsubscribed', 'unknown']);
export type ConsentState = z.infer<typeof ConsentState>;

/**
 * The full current state of one profile, published on the compacted `profiles.changes.v1`
 * topic after every change. Contains PII: never log it or put it in span attributes.
 */
export const ProfileChanged = z.object({
  profileId: ProfileId,
  /** Monotonic per profile; consumers ignore a version older than the one they hold. */
  version: z.number().int().positive(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  /** YYYY-MM-DD */
  birthday: z.string().nullable(),
  /** IANA time zone, e.g. Europe/Berlin. */
  timezone: z.string().nullable(),
  emailConsent: ConsentState,
  traits: JsonObject,
  identifiers: z.array(z.object({ type: z.string(), value: z.string() })),
  updatedAt: IsoTimestamp,
});
export type ProfileChanged = z.infer<typeof ProfileChanged>;
