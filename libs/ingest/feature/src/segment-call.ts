import { RawEvent, parseContract, type JsonObject, type RejectionCode } from '@kairos/contracts';
import { classifySchemaIssues, isObject } from './reject-reason';
import { MAX_EVENT_BYTES, eventBytes } from './screen-raw-event';

/** The Segment HTTP API calls ingest serves: one event per call, or a batch of them. */
export type SegmentCall = 'identify' | 'track' | 'page' | 'alias' | 'batch';

/** Segment's limit for one batch request body (https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/#max-request-size). */
export const MAX_BATCH_BYTES = 500 * 1024;

/** One problem with one event of a call; `index` is the position in `batch` (batch calls only). */
export interface CallIssue {
  index?: number;
  code: RejectionCode;
  path: string;
  message: string;
}

export type PreparedCall =
  { ok: true; events: JsonObject[] } | { ok: false; message: string; issues: CallIssue[] };

export interface PrepareOptions {
  receivedAt: Date;
  newMessageId: () => string;
}

/**
 * Turn the body of a Segment HTTP API call into the raw events to publish, or say everything
 * that is wrong with it. All or nothing: if any event is invalid the whole call is refused, so
 * nothing of a bad request is published and the sender can fix and resend it as a unit.
 *
 * Each event gets `receivedAt` (the server's time, overriding a client value, as Segment does)
 * and a `messageId` when it has none. A batch's top-level `context` and `integrations` are merged
 * into each event (the event's own keys win). Checks: size (32 KB per event, measured on what is
 * published), then the structural Segment schema (RawEvent). The per-event-type spec is left to
 * the raw-topic consumer, which applies it to both doors alike and rejects to events.rejected.v1.
 *
 * Messages name fields and limits, never values.
 */
export function prepareCall(
  call: SegmentCall,
  body: unknown,
  options: PrepareOptions,
): PreparedCall {
  if (!isObject(body)) {
    return refused('The request body must be a JSON object.', [
      { code: 'SCHEMA_VIOLATION', path: '(root)', message: 'Expected a JSON object' },
    ]);
  }
  const items = call === 'batch' ? batchItems(body) : [{ ...body, type: call }];
  if (!Array.isArray(items)) return items;

  const receivedAt = options.receivedAt.toISOString();
  const events: JsonObject[] = [];
  const issues: CallIssue[] = [];
  items.forEach((item, i) => {
    const index = call === 'batch' ? i : undefined;
    if (!isObject(item)) {
      issues.push({
        index,
        code: 'SCHEMA_VIOLATION',
        path: '(root)',
        message: 'Expected a JSON object',
      });
      return;
    }
    const event: JsonObject = {
      ...item,
      ...merged('context', body, item, call),
      ...merged('integrations', body, item, call),
      receivedAt,
    };
    if (event.messageId === undefined || event.messageId === null || event.messageId === '')
      event.messageId = options.newMessageId();

    const bytes = eventBytes(event);
    if (bytes > MAX_EVENT_BYTES) {
      issues.push({
        index,
        code: 'EVENT_TOO_LARGE',
        path: '(root)',
        message: `event is ${bytes} bytes; the limit is ${MAX_EVENT_BYTES} bytes (32 KB)`,
      });
      return;
    }
    const parsed = parseContract(RawEvent, event);
    if (!parsed.ok) {
      const classified = classifySchemaIssues(event, parsed.issues);
      for (const issue of classified.issues)
        issues.push({ index, code: classified.code, ...issue });
      return;
    }
    events.push(event);
  });

  if (issues.length > 0) {
    const bad = new Set(issues.map((i) => i.index ?? 0)).size;
    const tooLarge = issues.some((i) => i.code === 'EVENT_TOO_LARGE');
    const what =
      call === 'batch'
        ? `${bad} of ${items.length} events in the batch ${bad === 1 ? 'is' : 'are'} invalid`
        : tooLarge
          ? 'The event is too large'
          : 'The event is invalid';
    return refused(`${what}; nothing was accepted. ${describeIssues(issues)}`, issues);
  }
  return { ok: true, events };
}

/** `batch[2].event: Required; batch[5]: event is 40000 bytes; …` */
export function describeIssues(issues: readonly CallIssue[]): string {
  return issues
    .map((i) => {
      const where = i.index === undefined ? '' : `batch[${i.index}]`;
      const path = i.path === '(root)' ? where || '(event)' : where ? `${where}.${i.path}` : i.path;
      return `${path}: ${i.message}`;
    })
    .join('; ');
}

function batchItems(body: Record<string, unknown>): unknown[] | PreparedCall {
  const batch = body.batch;
  if (!Array.isArray(batch) || batch.length === 0) {
    return refused('A batch call needs a non-empty "batch" array of events.', [
      { code: 'SCHEMA_VIOLATION', path: 'batch', message: 'Expected a non-empty array of events' },
    ]);
  }
  return batch as unknown[];
}

/**
 * A batch's shared `context`/`integrations` merged under the event's own (event keys win);
 * single calls carry their own and need no merge.
 */
function merged(
  field: 'context' | 'integrations',
  body: Record<string, unknown>,
  item: Record<string, unknown>,
  call: SegmentCall,
): JsonObject {
  if (call !== 'batch' || !isObject(body[field])) return {};
  if (item[field] !== undefined && !isObject(item[field])) return {}; // let the schema name it
  const own = isObject(item[field]) ? item[field] : {};
  return { [field]: { ...body[field], ...own } };
}

function refused(message: string, issues: CallIssue[]): PreparedCall {
  return { ok: false, message, issues };
}
