import type { AcceptedEvent, JsonObject, RawEvent } from '@kairos/contracts';
import { normalizeEmail } from './email';

export interface NormalizeOptions {
  /** When ingest received the event (the injected Clock's now). */
  receivedAt: Date;
  /** Makes an event id for an event without a messageId (a UUID v4 in production). */
  newEventId: () => string;
}

/** Name traits that are trimmed; Segment spells them both ways in the wild. */
const NAME_TRAITS = ['firstName', 'lastName', 'first_name', 'last_name'] as const;

/**
 * Turn a schema-valid raw Segment event into the canonical {@link AcceptedEvent}. Pure and
 * total: it never throws and never loses an event; a trait value it cannot use is dropped and
 * the drop is recorded in `warnings` (by field name only — warnings end up in logs and
 * downstream topics, so they never contain the value itself).
 */
export function normalizeEvent(raw: RawEvent, options: NormalizeOptions): AcceptedEvent {
  const warnings: string[] = [];
  const receivedAt = options.receivedAt.toISOString();
  const accepted: AcceptedEvent = {
    // An event without a messageId gets a fresh id, so it can never be recognized as a
    // duplicate: a redelivery of it is a new event to ingest's Redis filter. Downstream
    // consumers still dedupe redeliveries of the *accepted* event, which keeps this id.
    eventId: raw.messageId ?? options.newEventId(),
    type: raw.type,
    ...identifiers(raw),
    traits: raw.type === 'identify' ? normalizeTraits(raw.traits ?? {}, warnings) : {},
    properties: properties(raw),
    context: raw.context ?? {},
    timestamp: eventTime(raw, receivedAt, warnings),
    receivedAt,
    warnings,
  };
  if (raw.type === 'track') accepted.event = raw.event;
  if (raw.type === 'page' && raw.name !== undefined) accepted.name = raw.name;
  return accepted;
}

/** userId/anonymousId (and alias' previousId) as strings; null means absent. */
function identifiers(raw: RawEvent): Pick<AcceptedEvent, 'userId' | 'anonymousId' | 'previousId'> {
  const ids: Pick<AcceptedEvent, 'userId' | 'anonymousId' | 'previousId'> = {};
  if (raw.userId !== null && raw.userId !== undefined) ids.userId = String(raw.userId);
  if (raw.anonymousId !== null && raw.anonymousId !== undefined)
    ids.anonymousId = String(raw.anonymousId);
  if (raw.type === 'alias') ids.previousId = String(raw.previousId);
  return ids;
}

function properties(raw: RawEvent): JsonObject {
  if (raw.type === 'track') return raw.properties ?? {};
  if (raw.type === 'page') {
    const props = { ...(raw.properties ?? {}) };
    // AcceptedEvent has no page category field; keep it in properties (where analytics.js
    // also puts it) rather than silently dropping it. An explicit property wins.
    if (raw.category !== undefined && props.category === undefined) props.category = raw.category;
    return props;
  }
  return {};
}

/**
 * Identify traits with a canonical email and trimmed names. Other traits pass through
 * untouched; identity resolution decides what they mean.
 */
export function normalizeTraits(traits: JsonObject, warnings: string[]): JsonObject {
  const out: JsonObject = { ...traits };
  if ('email' in out && out.email !== undefined) {
    const email = typeof out.email === 'string' ? normalizeEmail(out.email) : undefined;
    if (email === undefined) {
      delete out.email;
      warnings.push('traits.email dropped: not a valid email address');
    } else {
      out.email = email;
    }
  }
  for (const name of NAME_TRAITS) {
    const value = out[name];
    if (typeof value !== 'string') continue;
    const trimmed = value.trim();
    if (trimmed === '') {
      delete out[name];
      warnings.push(`traits.${name} dropped: empty`);
    } else {
      out[name] = trimmed;
    }
  }
  return out;
}

/**
 * When the event happened, in UTC: `timestamp`, else `originalTimestamp` (the client's clock),
 * else when ingest received it. The schema already checked both are ISO-8601 with an offset.
 */
function eventTime(raw: RawEvent, receivedAt: string, warnings: string[]): string {
  for (const field of ['timestamp', 'originalTimestamp'] as const) {
    const value = raw[field];
    if (value === undefined) continue;
    const time = new Date(value);
    if (!Number.isNaN(time.getTime())) return time.toISOString();
    warnings.push(`${field} ignored: not a valid date`);
  }
  return receivedAt;
}
