import type { RejectedEvent, RejectionCode, SchemaIssue } from '@kairos/contracts';

/** The issue the contract reports for an event that names no one (see RawEvent). */
const MISSING_IDENTITY_ISSUE: SchemaIssue = {
  path: 'userId',
  message: 'userId or anonymousId is required',
};

/** The Segment call types ingest handles; `screen` and `group` are not (yet). */
export const SUPPORTED_TYPES: readonly string[] = ['identify', 'track', 'page', 'alias'];

/**
 * The code and complete issue list for a payload that failed the RawEvent schema.
 *
 * Zod runs RawEvent's identity refinement only when everything else is valid, so an event that
 * lacks both an identity and, say, a track `event` name would be reported for the name alone.
 * Identity is checked here directly, so the list always names every problem. The code:
 *  - UNSUPPORTED_TYPE when `type` is a string Kairos does not handle (nothing else can be
 *    checked without a known type, so the type is the problem to fix);
 *  - MISSING_IDENTITY when that is the *only* problem (the upstream fix is obvious);
 *  - SCHEMA_VIOLATION otherwise.
 */
export function classifySchemaIssues(
  payload: unknown,
  issues: readonly SchemaIssue[],
): { code: RejectionCode; issues: SchemaIssue[] } {
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
  if (
    isObject(payload) &&
    typeof payload.type === 'string' &&
    !SUPPORTED_TYPES.includes(payload.type)
  ) {
    return { code: 'UNSUPPORTED_TYPE', issues: all };
  }
  const onlyIdentity = identityMissing && all.length === 1;
  return { code: onlyIdentity ? 'MISSING_IDENTITY' : 'SCHEMA_VIOLATION', issues: all };
}

/**
 * The rejection for a payload that failed the RawEvent schema (see {@link classifySchemaIssues}).
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
  const classified = classifySchemaIssues(payload, issues);
  return buildRejection(classified.code, classified.issues, original, rejectedAt);
}

/** A rejection with the given code; the reason lists every issue as `path: message`. */
export function buildRejection(
  code: RejectionCode,
  issues: readonly SchemaIssue[],
  original: string,
  rejectedAt: Date,
): RejectedEvent {
  return {
    code,
    reason: issues.map((i) => `${i.path}: ${i.message}`).join('; '),
    issues: [...issues],
    original,
    rejectedAt: rejectedAt.toISOString(),
  };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Mirrors RawEvent's rule: a non-empty userId or anonymousId (Segment allows numbers). */
function hasIdentity(payload: Record<string, unknown>): boolean {
  const present = (v: unknown) => (typeof v === 'string' && v !== '') || typeof v === 'number';
  return present(payload.userId) || present(payload.anonymousId);
}
