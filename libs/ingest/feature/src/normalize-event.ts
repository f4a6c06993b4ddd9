import { SpecEvents, type AcceptedEvent, type JsonObject, type RawEvent } from '@kairos/contracts';
import type { CountryCode } from 'libphonenumber-js';
import { normalizeEmail } from './email';
import { normalizeCurrency, toMoney } from './money';
import { normalizePersonName } from './person-name';
import { normalizePhone } from './phone';

export interface NormalizeOptions {
  /** When ingest handles the event (the injected Clock's now). */
  receivedAt: Date;
  /** Makes an event id for an event without a messageId (a UUID v4 in production). */
  newEventId: () => string;
  /** Region for phone numbers without a country code. */
  defaultRegion?: CountryCode;
  /** How far ahead of receivedAt an event time may be before it is clamped (default 300 s). */
  maxFutureSkewSeconds?: number;
}

/** Name traits that are tidied; Segment spells them both ways in the wild. */
const NAME_TRAITS = ['name', 'firstName', 'lastName', 'first_name', 'last_name'] as const;

/** E-commerce events whose money fields and currency are normalized. */
const COMMERCE_EVENTS: ReadonlySet<string> = new Set([
  SpecEvents.ProductViewed,
  SpecEvents.ProductAdded,
  SpecEvents.ProductRemoved,
  SpecEvents.CartViewed,
  SpecEvents.CheckoutStarted,
  SpecEvents.OrderCompleted,
]);
const MONEY_FIELDS = [
  'price',
  'revenue',
  'total',
  'subtotal',
  'tax',
  'shipping',
  'discount',
  'value',
];

/**
 * Turn a screened raw Segment event into the canonical {@link AcceptedEvent}. Pure and total:
 * it never throws and never loses an event; a value it cannot use is dropped and the drop is
 * recorded in `warnings` — by field path only, never the value (warnings end up in logs and
 * downstream topics, and values can be PII).
 */
export function normalizeEvent(raw: RawEvent, options: NormalizeOptions): AcceptedEvent {
  const warnings: string[] = [];
  const skewMs = (options.maxFutureSkewSeconds ?? 300) * 1000;
  const receivedAt = receivedTime(raw, options.receivedAt, skewMs);
  const accepted: AcceptedEvent = {
    // An event without a messageId gets a fresh id, so it can never be recognized as a
    // duplicate: a redelivery of it is a new event to ingest's Redis filter. Downstream
    // consumers still dedupe redeliveries of the *accepted* event, which keeps this id.
    eventId: raw.messageId ?? options.newEventId(),
    type: raw.type,
    ...identifiers(raw),
    traits:
      raw.type === 'identify'
        ? normalizeTraits(raw.traits ?? {}, warnings, options.defaultRegion ?? 'US')
        : {},
    properties: properties(raw, warnings),
    context: raw.context ?? {},
    timestamp: eventTime(raw, receivedAt, skewMs, warnings),
    receivedAt: receivedAt.toISOString(),
    warnings,
  };
  if (raw.type === 'track') accepted.event = raw.event;
  if (raw.type === 'page' && raw.name !== undefined) accepted.name = raw.name;
  return accepted;
}

/**
 * When Kairos received the event: the `receivedAt` the HTTP API stamped on it (it is the door
 * that received it; a re-driven event keeps its first arrival), else now. A receivedAt ahead of
 * now (beyond the skew allowance) cannot be a real arrival time and is ignored.
 */
function receivedTime(raw: RawEvent, now: Date, skewMs: number): Date {
  if (raw.receivedAt === undefined) return now;
  const stamped = new Date(raw.receivedAt);
  return stamped.getTime() <= now.getTime() + skewMs ? stamped : now;
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

function properties(raw: RawEvent, warnings: string[]): JsonObject {
  if (raw.type === 'track') {
    const props = raw.properties ?? {};
    return COMMERCE_EVENTS.has(raw.event) ? normalizeCommerceProperties(props, warnings) : props;
  }
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
 * Money fields as numbers (numeric strings converted), the currency as an upper-case ISO 4217
 * code, quantities as numbers; unusable values dropped with a warning. The spec schema has
 * already guaranteed the shapes (money is a number or string, quantity a positive integer or a
 * string of digits, products a list of objects).
 */
export function normalizeCommerceProperties(props: JsonObject, warnings: string[]): JsonObject {
  const out = normalizeMoneyFields(props, 'properties', warnings);
  if (typeof out.currency === 'string') {
    const currency = normalizeCurrency(out.currency);
    if (currency === undefined) {
      delete out.currency;
      warnings.push('properties.currency dropped: not an ISO 4217 currency code');
    } else {
      out.currency = currency;
    }
  }
  if (Array.isArray(out.products)) {
    out.products = out.products.map((product: unknown, i) =>
      product !== null && typeof product === 'object'
        ? normalizeMoneyFields(product as JsonObject, `properties.products.${i}`, warnings)
        : product,
    );
  }
  return out;
}

function normalizeMoneyFields(input: JsonObject, path: string, warnings: string[]): JsonObject {
  const out: JsonObject = { ...input };
  for (const field of MONEY_FIELDS) {
    const value = out[field];
    if (typeof value !== 'number' && typeof value !== 'string') continue;
    const amount = toMoney(value);
    if (amount === undefined) {
      delete out[field];
      warnings.push(`${path}.${field} dropped: not a non-negative number`);
    } else {
      out[field] = amount;
    }
  }
  if (typeof out.quantity === 'string') out.quantity = Number(out.quantity.trim());
  return out;
}

/**
 * Identify traits: email canonical, phone in E.164, names tidied, consent values checked.
 * An unusable value is dropped with a warning; the rest of the event is kept. Other traits pass
 * through untouched; identity resolution decides what they mean.
 */
export function normalizeTraits(
  traits: JsonObject,
  warnings: string[],
  defaultRegion: CountryCode = 'US',
): JsonObject {
  const out: JsonObject = { ...traits };
  const drop = (name: string, why: string) => {
    delete out[name];
    warnings.push(`traits.${name} dropped: ${why}`);
  };
  // null is how Segment senders clear a trait; it is passed on as such, not judged.
  const present = (name: string) => name in out && out[name] !== undefined && out[name] !== null;

  if (present('email')) {
    const email = typeof out.email === 'string' ? normalizeEmail(out.email) : undefined;
    if (email === undefined) drop('email', 'not a valid email address');
    else out.email = email;
  }
  if (present('phone')) {
    const phone = normalizePhone(out.phone, defaultRegion);
    if (phone === undefined) drop('phone', 'not a valid phone number');
    else out.phone = phone;
  }
  for (const name of NAME_TRAITS) {
    if (!present(name)) continue;
    const value = out[name];
    if (typeof value !== 'string') {
      drop(name, 'not a string');
      continue;
    }
    const tidy = normalizePersonName(value);
    if (tidy === undefined) drop(name, 'empty');
    else out[name] = tidy;
  }
  if (present('email_consent')) {
    const consent =
      typeof out.email_consent === 'string' ? out.email_consent.trim().toLowerCase() : undefined;
    if (consent === 'subscribed' || consent === 'unsubscribed' || consent === 'unknown')
      out.email_consent = consent;
    else drop('email_consent', 'expected subscribed, unsubscribed or unknown');
  }
  if (present('subscribed')) {
    const value = out.subscribed;
    if (value === 'true' || value === 'false') out.subscribed = value === 'true';
    else if (typeof value !== 'boolean') drop('subscribed', 'expected true or false');
  }
  return out;
}

/**
 * When the event happened, in UTC: `timestamp`, else `originalTimestamp` (the client's clock),
 * else when ingest received it. The schema already checked both are ISO-8601 with an offset.
 * A time further in the future than the skew allowance is a broken client clock: it is clamped
 * to receivedAt (so time-based logic — windows, timers — is not thrown off) with a warning.
 */
function eventTime(raw: RawEvent, receivedAt: Date, skewMs: number, warnings: string[]): string {
  for (const field of ['timestamp', 'originalTimestamp'] as const) {
    const value = raw[field];
    if (value === undefined) continue;
    const time = new Date(value);
    if (Number.isNaN(time.getTime())) {
      warnings.push(`${field} ignored: not a valid date`);
      continue;
    }
    const ahead = time.getTime() - receivedAt.getTime();
    if (ahead > skewMs) {
      warnings.push(
        `${field} clamped to receivedAt: ${Math.round(ahead / 1000)} s in the future (allowed ${skewMs / 1000} s)`,
      );
      return receivedAt.toISOString();
    }
    return time.toISOString();
  }
  return receivedAt.toISOString();
}
