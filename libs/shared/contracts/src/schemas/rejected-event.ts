import { z } from 'zod';

/** Machine-readable reasons an event was rejected by ingest. */
export const RejectionCode = z.enum([
  'INVALID_JSON',
  'SCHEMA_VIOLATION',
  'MISSING_IDENTITY',
  'EVENT_TOO_LARGE',
  'UNSUPPORTED_TYPE',
]);
export type RejectionCode = z.infer<typeof RejectionCode>;

/** What ingest publishes on `events.rejected.v1`: the reason plus the original payload. */
export const RejectedEvent = z.object({
  code: RejectionCode,
  /** Human-readable: which field and why. */
  reason: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })),
  /** The original bytes as UTF-8 text, so the event can be fixed and re-driven. */
  original: z.string(),
  rejectedAt: z.string(),
});
export type RejectedEvent = z.infer<typeof RejectedEvent>;
