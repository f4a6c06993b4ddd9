import { isDeepStrictEqual } from 'node:util';
import type { AcceptedEvent, ConsentState, JsonObject } from '@kairos/contracts';

/** The typed fields of a profile (what templates and triggers read by name). */
export interface ProfileFields {
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  /** YYYY-MM-DD */
  birthday: string | null;
  /** IANA time zone. */
  timezone: string | null;
  emailConsent: ConsentState;
}

export type FieldName = keyof ProfileFields;

/**
 * Everything about a profile that last-write-wins applies to. `fieldTimes` holds, per typed
 * field (`email`) and per trait (`traits.plan`), the *event* time of the value held, so a
 * late-arriving older event cannot overwrite a newer value.
 */
export interface ProfileState {
  fields: ProfileFields;
  traits: JsonObject;
  fieldTimes: Record<string, string>;
}

/** What one event wants to set. Absent keys are left alone; `null` clears a value. */
export interface ProfileUpdate {
  fields: Partial<ProfileFields>;
  traits: JsonObject;
}

export const EMPTY_FIELDS: Readonly<ProfileFields> = Object.freeze({
  email: null,
  phone: null,
  firstName: null,
  lastName: null,
  birthday: null,
  timezone: null,
  emailConsent: 'unknown',
});

export function emptyProfileState(): ProfileState {
  return { fields: { ...EMPTY_FIELDS }, traits: {}, fieldTimes: {} };
}

/** Traits consumed into typed fields, so they are not duplicated in `traits`. */
const TYPED_TRAITS = new Set([
  'email',
  'phone',
  'firstName',
  'first_name',
  'lastName',
  'last_name',
  'birthday',
  'timezone',
  'email_consent',
  'subscribed',
]);

/**
 * The profile update an event carries. Only identify events describe the person; other
 * events only link identifiers. A trait value of the wrong shape (a birthday that is not a
 * date, an unknown time zone) is ignored rather than stored wrongly typed.
 */
export function extractProfileUpdate(event: AcceptedEvent): ProfileUpdate {
  if (event.type !== 'identify') return { fields: {}, traits: {} };
  const t = event.traits;
  const fields: Partial<ProfileFields> = {};
  setIfDefined(fields, 'email', text(t.email));
  setIfDefined(fields, 'phone', text(t.phone));
  setIfDefined(fields, 'firstName', text(t.firstName !== undefined ? t.firstName : t.first_name));
  setIfDefined(fields, 'lastName', text(t.lastName !== undefined ? t.lastName : t.last_name));
  setIfDefined(fields, 'birthday', birthday(t.birthday));
  setIfDefined(
    fields,
    'timezone',
    timezone(t.timezone !== undefined ? t.timezone : event.context.timezone),
  );
  setIfDefined(fields, 'emailConsent', consent(t.email_consent, t.subscribed));
  const traits: JsonObject = {};
  for (const [key, value] of Object.entries(t)) {
    if (!TYPED_TRAITS.has(key) && value !== undefined) traits[key] = value;
  }
  return { fields, traits };
}

/**
 * Apply an update made at event time `at` with last-write-wins per field: a value is taken
 * when no newer one is held (equal times: the later arrival wins). `changed` says whether any
 * value changed — only then does the profile get a new version.
 */
export function applyProfileUpdate(
  state: ProfileState,
  update: ProfileUpdate,
  at: string,
): { state: ProfileState; changed: boolean } {
  const next: ProfileState = {
    fields: { ...state.fields },
    traits: { ...state.traits },
    fieldTimes: { ...state.fieldTimes },
  };
  let changed = false;
  for (const [name, value] of Object.entries(update.fields) as [
    FieldName,
    ProfileFields[FieldName],
  ][]) {
    if (isOlder(at, next.fieldTimes[name])) continue;
    next.fieldTimes[name] = at;
    if (!isDeepStrictEqual(next.fields[name], value)) {
      (next.fields as unknown as Record<string, unknown>)[name] = value;
      changed = true;
    }
  }
  for (const [key, value] of Object.entries(update.traits)) {
    const timeKey = `traits.${key}`;
    if (isOlder(at, next.fieldTimes[timeKey])) continue;
    next.fieldTimes[timeKey] = at;
    if (!(key in next.traits) || !isDeepStrictEqual(next.traits[key], value)) {
      next.traits[key] = value;
      changed = true;
    }
  }
  return { state: next, changed };
}

/**
 * Combine two profiles that turned out to be one person: per field and per trait, the value
 * with the newer event time wins; on a tie (or when neither has a time) the survivor's value
 * stays. A value with a time beats a field never set.
 */
export function mergeProfileStates(survivor: ProfileState, merged: ProfileState): ProfileState {
  const next: ProfileState = {
    fields: { ...survivor.fields },
    traits: { ...survivor.traits },
    fieldTimes: { ...survivor.fieldTimes },
  };
  for (const name of Object.keys(EMPTY_FIELDS) as FieldName[]) {
    const theirs = merged.fieldTimes[name];
    if (theirs !== undefined && isNewer(theirs, next.fieldTimes[name])) {
      (next.fields as unknown as Record<string, unknown>)[name] = merged.fields[name];
      next.fieldTimes[name] = theirs;
    }
  }
  for (const [key, value] of Object.entries(merged.traits)) {
    const timeKey = `traits.${key}`;
    const theirs = merged.fieldTimes[timeKey];
    const ours = next.fieldTimes[timeKey];
    const take = !(key in next.traits) || (theirs !== undefined && isNewer(theirs, ours));
    if (take) {
      next.traits[key] = value;
      if (theirs !== undefined) next.fieldTimes[timeKey] = theirs;
    }
  }
  return next;
}

/** `at` is strictly older than the held time. */
function isOlder(at: string, held: string | undefined): boolean {
  return held !== undefined && Date.parse(at) < Date.parse(held);
}

/** `at` is strictly newer than the held time (or nothing is held). */
function isNewer(at: string, held: string | undefined): boolean {
  return held === undefined || Date.parse(at) > Date.parse(held);
}

function setIfDefined<K extends FieldName>(
  fields: Partial<ProfileFields>,
  name: K,
  value: ProfileFields[K] | undefined,
) {
  if (value !== undefined) fields[name] = value;
}

/** A trimmed non-empty string, null to clear, undefined to leave alone. */
function text(value: unknown): string | null | undefined {
  if (value === null) return null;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** YYYY-MM-DD from a date or an ISO date-time (Segment sends both); a real calendar date. */
export function birthday(value: unknown): string | null | undefined {
  if (value === null) return null;
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/.exec(value.trim());
  if (!match) return undefined;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  const valid =
    date.getUTCFullYear() === Number(y) &&
    date.getUTCMonth() === Number(m) - 1 &&
    date.getUTCDate() === Number(d);
  return valid ? `${y}-${m}-${d}` : undefined;
}

/** An IANA time zone the runtime knows, in its canonical spelling. */
export function timezone(value: unknown): string | null | undefined {
  if (value === null) return null;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const name = value.trim();
  if (ZONE_CACHE.has(name)) return ZONE_CACHE.get(name);
  let zone: string | undefined;
  try {
    zone = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    zone = undefined;
  }
  // Building a DateTimeFormat is costly (it showed in identity's CPU profile); there are a few
  // hundred zone names, so a small bounded cache answers nearly every call.
  if (ZONE_CACHE.size >= ZONE_CACHE_MAX) ZONE_CACHE.clear();
  ZONE_CACHE.set(name, zone);
  return zone;
}

const ZONE_CACHE_MAX = 2_000;
const ZONE_CACHE = new Map<string, string | undefined>();

/** traits.email_consent wins over the boolean traits.subscribed when both are present. */
function consent(emailConsent: unknown, subscribed: unknown): ConsentState | undefined {
  if (
    emailConsent === 'subscribed' ||
    emailConsent === 'unsubscribed' ||
    emailConsent === 'unknown'
  )
    return emailConsent;
  if (typeof subscribed === 'boolean') return subscribed ? 'subscribed' : 'unsubscribed';
  return undefined;
}
