import type { RejectedEvent, RejectionCode, SchemaIssue } from '@kairos/contracts';

/** The issue the contract reports for an event that names no one (see RawEvent). */
const MISSING_IDENTITY_ISSUE: SchemaIssue = {
  path: 'userId',
  message: 'userId or anonymousId is required',
};

/**
 * The rejection for a payload that failed the RawEvent schema.
 *
 * Zod runs RawEvent's identity refinement only when everything else is valid, so an event that
 * lacks both an identity and, say, a track `event` name would be reported for the name alone.
 * Identity is checked here directly, so the reason always lists every problem. The code is
 * MISSING_IDENTITY only when that is the *only* problem (an upstream fix then is obvious:
 * send userId or anonymousId); anything else is SCHEMA_VIOLATION.
 *
 * Zod's messages name the field and the expected shape, never the received value, so the
 * reason is safe to log; `original` holds the payload (with any PII) for re-driving.
 */
export function describeRejection(
  payload: unknown,
  issues: readonly SchemaIssue[],
  original: string,
  rejectedAt: Date,
): RejectedEvent {
  const all = [...issues];
  const identityMissing = isObject(payload) && !hasIdentity(payload);
  if (
    identityMissing &&
    !all.some(
      (i) => i.path === MISSING_IDENTITY_ISSUE.path && i.message === MISSING_IDENTITY_ISSUE.message,
    )
  ) {
    all.push(MISSING_IDENTITY_ISSUE);
  }
  const onlyIdentity = identityMissing && all.length === 1;
  const code: RejectionCode = onlyIdentity ? 'MISSING_IDENTITY' : 'SCHEMA_VIOLATION';
  return {
    code,
    reason: all.map((i) => `${i.path}: ${i.message}`).join('; '),
    issues: all,
    original,
    rejectedAt: rejectedAt.toISOString(),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Mirrors RawEvent's rule: a non-empty userId or anonymousId (Segment allows numbers). */
function hasIdentity(payload: Record<string, unknown>): boolean {
  const present = (v: unknown) => (typeof v === 'string' && v !== '') || typeof v === 'number';
  return present(payload.userId) || present(payload.anonymousId);
}
