import {
  RawEvent,
  parseContract,
  trackPropertiesSchema,
  type RejectionCode,
  type SchemaIssue,
} from '@kairos/contracts';
import { classifySchemaIssues } from './reject-reason';

/** Segment's limit for one event (https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/#max-request-size). */
export const MAX_EVENT_BYTES = 32 * 1024;

export type Screening =
  { ok: true; event: RawEvent } | { ok: false; code: RejectionCode; issues: SchemaIssue[] };

/** The size of an event as Segment counts it: its JSON serialization in UTF-8 bytes. */
export function eventBytes(payload: unknown): number {
  return Buffer.byteLength(JSON.stringify(payload) ?? 'null', 'utf8');
}

export function tooLargeIssue(bytes: number, path = '(root)'): SchemaIssue {
  return {
    path,
    message: `event is ${bytes} bytes; the limit is ${MAX_EVENT_BYTES} bytes (32 KB)`,
  };
}

/**
 * Everything ingest checks before it accepts an event, in order: size (EVENT_TOO_LARGE), the
 * structural Segment schema (UNSUPPORTED_TYPE / MISSING_IDENTITY / SCHEMA_VIOLATION), then the
 * per-event-type spec for known track events (SCHEMA_VIOLATION with `properties.…` paths).
 * Pure; the same rules apply to events from Kafka and from the HTTP API (which publishes to the
 * raw topic, so both doors meet here).
 */
export function screenRawEvent(payload: unknown): Screening {
  const bytes = eventBytes(payload);
  if (bytes > MAX_EVENT_BYTES)
    return { ok: false, code: 'EVENT_TOO_LARGE', issues: [tooLargeIssue(bytes)] };

  const parsed = parseContract(RawEvent, payload);
  if (!parsed.ok) return { ok: false, ...classifySchemaIssues(payload, parsed.issues) };

  const event = parsed.value;
  if (event.type === 'track') {
    const schema = trackPropertiesSchema(event.event);
    if (schema) {
      const spec = parseContract(schema, event.properties ?? {});
      if (!spec.ok) {
        const issues = spec.issues.map((i) => ({
          path: i.path === '(root)' ? 'properties' : `properties.${i.path}`,
          message: i.message,
        }));
        return { ok: false, code: 'SCHEMA_VIOLATION', issues };
      }
    }
  }
  return { ok: true, event };
}
