import { z } from 'zod';

/** An ISO-8601 timestamp with an offset or Z (Segment sends both). */
export const IsoTimestamp = z.string().datetime({ offset: true });

/** A free-form JSON object (Segment's `properties`, `traits`, `context`). */
export const JsonObject = z.record(z.string(), z.unknown());
export type JsonObject = z.infer<typeof JsonObject>;

/** Identifiers are opaque strings; Segment also allows numbers for userId. */
export const Identifier = z.union([z.string().min(1).max(256), z.number().transform(String)], {
  // Zod's default for a failed union is a bare "Invalid input"; say what is expected instead.
  errorMap: (_issue, ctx) => ({
    message:
      ctx.data === undefined ? 'Required' : 'Expected a string of 1 to 256 characters or a number',
  }),
});

/** The id of a profile in the identity graph. */
export const ProfileId = z.string().uuid();
