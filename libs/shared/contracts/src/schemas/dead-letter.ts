import { z } from 'zod';

/** Machine-readable reasons a consumer gave up on a message. */
export const DeadLetterCode = z.enum([
  'INVALID_JSON',
  'SCHEMA_VIOLATION',
  'NO_HANDLER',
  'RETRIES_EXHAUSTED',
  'PERMANENT_FAILURE',
]);
export type DeadLetterCode = z.infer<typeof DeadLetterCode>;
