import type { ConsentState } from '@kairos/contracts';
import { DEFAULT_TRAITS_CONFIG, type ComputedTraits, type TraitsConfig } from './computed-traits';
import { windowSum } from './day-series';
import { scoresAt } from './decayed-scores';
import { scoreRfm, type RfmCutPoints } from './rfm';
import { DAY_MS, dayOf } from './time';

/**
 * Facts: the flat, evaluated view of one profile at one moment, which compiled segments read.
 * Keys are the field names of the segment language (`traits.purchases30d`, `profile.age`, …),
 * plus `count:<counter>:<days>` for behavioural counters and `$today` (the UTC day number).
 *
 * Every time-dependent value is computed at UTC-day granularity (windows, days-since, age,
 * affinities evaluated at the end of the current day), so facts — and therefore memberships —
 * change only when an event arrives or the day changes. Diffing two facts objects
 * (`changedFacts`) tells the evaluator which segments can have changed.
 */
export type FactValue =
  number | string | boolean | null | readonly string[] | Readonly<Record<string, number>>;
export type Facts = Record<string, FactValue>;

export type FieldType =
  'number' | 'string' | 'boolean' | 'time' | 'stringList' | 'scoreMap' | 'any';

export interface FieldSpec {
  readonly type: FieldType;
  readonly description: string;
  readonly enum?: readonly string[];
}

const n = (description: string): FieldSpec => ({ type: 'number', description });
const t = (description: string): FieldSpec => ({ type: 'time', description });
const s = (description: string): FieldSpec => ({ type: 'string', description });

export const CONSENT_STATES: readonly ConsentState[] = ['subscribed', 'unsubscribed', 'unknown'];

/** Every field a segment definition may reference (besides `profile.traits.<custom>`). */
export const FIELD_CATALOG: Readonly<Record<string, FieldSpec>> = {
  'profile.age': n('Age in whole years from the birthday (UTC)'),
  'profile.birthday': s('Birthday, YYYY-MM-DD'),
  'profile.timezone': s('IANA time zone'),
  'profile.emailConsent': {
    type: 'string',
    description: 'Email consent state',
    enum: CONSENT_STATES,
  },
  'profile.hasEmail': { type: 'boolean', description: 'The profile has an email address' },
  'profile.emailDomain': s('Domain part of the email address'),
  'traits.eventCount': n('Events attributed to the profile'),
  'traits.orderCount': n('Orders completed, lifetime (RFM frequency)'),
  'traits.ltv': n('Lifetime value: revenue minus refunds (RFM monetary)'),
  'traits.aov': n('Average order value (ltv / orderCount)'),
  'traits.recencyDays': n('Days since the last order (RFM recency)'),
  'traits.daysSinceLastEvent': n('Days since the last event'),
  'traits.firstOrderAt': t('Time of the first order'),
  'traits.lastOrderAt': t('Time of the last order'),
  'traits.lastEventAt': t('Time of the last event'),
  'traits.purchases7d': n('Orders in the last 7 days'),
  'traits.purchases30d': n('Orders in the last 30 days'),
  'traits.purchases90d': n('Orders in the last 90 days'),
  'traits.revenue7d': n('Revenue in the last 7 days'),
  'traits.revenue30d': n('Revenue in the last 30 days'),
  'traits.revenue90d': n('Revenue in the last 90 days'),
  'traits.emailsDelivered7d': n('Emails delivered in the last 7 days'),
  'traits.emailsDelivered30d': n('Emails delivered in the last 30 days'),
  'traits.emailOpens7d': n('Email opens in the last 7 days'),
  'traits.emailOpens30d': n('Email opens in the last 30 days'),
  'traits.emailClicks7d': n('Email clicks in the last 7 days'),
  'traits.emailClicks30d': n('Email clicks in the last 30 days'),
  'traits.openRate7d': n('min(1, opens / delivered) over 7 days; absent without deliveries'),
  'traits.openRate30d': n('min(1, opens / delivered) over 30 days; absent without deliveries'),
  'traits.clickRate7d': n('min(1, clicks / delivered) over 7 days; absent without deliveries'),
  'traits.clickRate30d': n('min(1, clicks / delivered) over 30 days; absent without deliveries'),
  'traits.lastOpenAt': t('Time of the last email open'),
  'traits.lastClickAt': t('Time of the last email click'),
  'traits.visits7d': n('Site visits (page events) in the last 7 days'),
  'traits.visits30d': n('Site visits (page events) in the last 30 days'),
  'traits.visits90d': n('Site visits (page events) in the last 90 days'),
  'traits.lastVisitAt': t('Time of the last site visit'),
  'traits.categoryAffinity': {
    type: 'scoreMap',
    description: 'Decayed category affinity; reference a key as traits.categoryAffinity.<Category>',
  },
  'traits.brandAffinity': {
    type: 'scoreMap',
    description: 'Decayed brand affinity; reference a key as traits.brandAffinity.<Brand>',
  },
  'traits.topCategory': s('Category with the highest affinity'),
  'traits.topBrand': s('Brand with the highest affinity'),
  'traits.cartItemCount': n('Units in the open cart'),
  'traits.cartValue': n('Value of the open cart (lines with a price)'),
  'traits.cartProductIds': { type: 'stringList', description: 'Product ids in the open cart' },
  'traits.lastCartActivityAt': t('Time of the last cart change'),
  'traits.signupAt': t('Signup time'),
  'traits.daysSinceSignup': n('Days since signup'),
  'traits.loyaltyTier': s('Loyalty tier (from identify traits, passed through)'),
  'traits.rfmR': n('RFM recency score 1–5 (needs cut points)'),
  'traits.rfmF': n('RFM frequency score 1–5 (needs cut points)'),
  'traits.rfmM': n('RFM monetary score 1–5 (needs cut points)'),
  'traits.rfmScore': n('rfmR + rfmF + rfmM, 3–15 (needs cut points)'),
};

export const TODAY_FACT = '$today';
export const PROFILE_TRAITS_PREFIX = 'profile.traits.';

/** Facts key of "how many matching events in the last `withinDays` days" (null = lifetime). */
export function counterFactKey(counterId: string, withinDays: number | null): string {
  return `count:${counterId}:${withinDays ?? 'all'}`;
}

/** The profile-level input (a subset of the ProfileChanged contract). Never logged: PII. */
export interface ProfileSnapshot {
  readonly birthday?: string | null;
  readonly timezone?: string | null;
  readonly email?: string | null;
  readonly emailConsent?: ConsentState;
  readonly traits?: Readonly<Record<string, unknown>>;
}

export interface CounterWindow {
  readonly counterId: string;
  readonly withinDays: number | null;
}

export interface FactsOptions {
  readonly config?: TraitsConfig;
  readonly rfmCutPoints?: RfmCutPoints;
  /** The behavioural counters/windows the compiled segments read (`program.counterWindows`). */
  readonly counterWindows?: readonly CounterWindow[];
}

function ageOn(birthday: string, nowMs: number): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthday);
  if (!m) return null;
  const now = new Date(nowMs);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let age = now.getUTCFullYear() - y;
  const month = now.getUTCMonth() + 1;
  if (month < mo || (month === mo && now.getUTCDate() < d)) age--;
  return age >= 0 && age < 150 ? age : null;
}

function lowerKeyed(scores: Record<string, number>): {
  map: Record<string, number>;
  top: string | null;
} {
  const map: Record<string, number> = {};
  let top: string | null = null;
  let best = -Infinity;
  for (const key of Object.keys(scores)) {
    // Rounded so that float noise alone never counts as a change.
    const value = Math.round(scores[key] * 1e6) / 1e6;
    const k = key.toLowerCase();
    map[k] = (map[k] ?? 0) + value;
    if (value > best || (value === best && top !== null && key < top)) {
      best = value;
      top = key;
    }
  }
  return { map, top };
}

function rate(part: number, whole: number): number | null {
  return whole > 0 ? Math.min(1, part / whole) : null;
}

function daysSince(today: number, ms: number | null): number | null {
  return ms === null ? null : today - dayOf(ms);
}

/** Evaluate a profile's facts as of `nowMs`. */
export function toFacts(
  profile: ProfileSnapshot | null,
  traits: ComputedTraits,
  nowMs: number,
  options: FactsOptions = {},
): Facts {
  const config = options.config ?? DEFAULT_TRAITS_CONFIG;
  const today = dayOf(nowMs);
  const endOfToday = (today + 1) * DAY_MS;
  const halfLifeMs = config.affinityHalfLifeDays * DAY_MS;
  const delivered7 = windowSum(traits.emailDelivered, today, 7);
  const delivered30 = windowSum(traits.emailDelivered, today, 30);
  const opens7 = windowSum(traits.emailOpened, today, 7);
  const opens30 = windowSum(traits.emailOpened, today, 30);
  const clicks7 = windowSum(traits.emailClicked, today, 7);
  const clicks30 = windowSum(traits.emailClicked, today, 30);
  const categories = lowerKeyed(scoresAt(traits.categoryAffinity, endOfToday, halfLifeMs));
  const brands = lowerKeyed(scoresAt(traits.brandAffinity, endOfToday, halfLifeMs));
  const recencyDays = daysSince(today, traits.lastOrderAt);
  let cartItemCount = 0;
  let cartValue = 0;
  for (const line of traits.cart) {
    cartItemCount += line.quantity;
    if (line.price !== null) cartValue += line.price * line.quantity;
  }

  const email = profile?.email ?? null;
  const facts: Facts = {
    [TODAY_FACT]: today,
    'profile.age': profile?.birthday ? ageOn(profile.birthday, nowMs) : null,
    'profile.birthday': profile?.birthday ?? null,
    'profile.timezone': profile?.timezone ?? null,
    'profile.emailConsent': profile?.emailConsent ?? 'unknown',
    'profile.hasEmail': email !== null && email !== '',
    'profile.emailDomain':
      email && email.includes('@') ? email.slice(email.lastIndexOf('@') + 1).toLowerCase() : null,
    'traits.eventCount': traits.eventCount,
    'traits.orderCount': traits.orderCount,
    'traits.ltv': traits.ltv,
    'traits.aov':
      traits.orderCount > 0 ? Math.round((traits.ltv / traits.orderCount) * 100) / 100 : null,
    'traits.recencyDays': recencyDays,
    'traits.daysSinceLastEvent': daysSince(today, traits.lastEventAt),
    'traits.firstOrderAt': traits.firstOrderAt,
    'traits.lastOrderAt': traits.lastOrderAt,
    'traits.lastEventAt': traits.lastEventAt,
    'traits.purchases7d': windowSum(traits.orders, today, 7),
    'traits.purchases30d': windowSum(traits.orders, today, 30),
    'traits.purchases90d': windowSum(traits.orders, today, 90),
    'traits.revenue7d': windowSum(traits.revenue, today, 7),
    'traits.revenue30d': windowSum(traits.revenue, today, 30),
    'traits.revenue90d': windowSum(traits.revenue, today, 90),
    'traits.emailsDelivered7d': delivered7,
    'traits.emailsDelivered30d': delivered30,
    'traits.emailOpens7d': opens7,
    'traits.emailOpens30d': opens30,
    'traits.emailClicks7d': clicks7,
    'traits.emailClicks30d': clicks30,
    'traits.openRate7d': rate(opens7, delivered7),
    'traits.openRate30d': rate(opens30, delivered30),
    'traits.clickRate7d': rate(clicks7, delivered7),
    'traits.clickRate30d': rate(clicks30, delivered30),
    'traits.lastOpenAt': traits.lastOpenAt,
    'traits.lastClickAt': traits.lastClickAt,
    'traits.visits7d': windowSum(traits.visits, today, 7),
    'traits.visits30d': windowSum(traits.visits, today, 30),
    'traits.visits90d': windowSum(traits.visits, today, 90),
    'traits.lastVisitAt': traits.lastVisitAt,
    'traits.categoryAffinity': categories.map,
    'traits.brandAffinity': brands.map,
    'traits.topCategory': categories.top,
    'traits.topBrand': brands.top,
    'traits.cartItemCount': cartItemCount,
    'traits.cartValue': Math.round(cartValue * 100) / 100,
    'traits.cartProductIds': traits.cart.map((line) => line.productId),
    'traits.lastCartActivityAt': traits.lastCartActivityAt,
    'traits.signupAt': traits.signupAt,
    'traits.daysSinceSignup': daysSince(today, traits.signupAt),
    'traits.loyaltyTier': traits.loyaltyTier,
    'traits.rfmR': null,
    'traits.rfmF': null,
    'traits.rfmM': null,
    'traits.rfmScore': null,
  };
  if (options.rfmCutPoints) {
    const rfm = scoreRfm(
      { recencyDays, frequency: traits.orderCount, monetary: traits.ltv },
      options.rfmCutPoints,
    );
    facts['traits.rfmR'] = rfm.r;
    facts['traits.rfmF'] = rfm.f;
    facts['traits.rfmM'] = rfm.m;
    facts['traits.rfmScore'] = rfm.r + rfm.f + rfm.m;
  }
  const custom = profile?.traits;
  if (custom) {
    for (const key of Object.keys(custom)) {
      const v = custom[key];
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
        facts[PROFILE_TRAITS_PREFIX + key] = v;
      else if (Array.isArray(v) && v.every((e) => typeof e === 'string'))
        facts[PROFILE_TRAITS_PREFIX + key] = v;
    }
  }
  for (const w of options.counterWindows ?? []) {
    const counter = traits.counters[w.counterId];
    facts[counterFactKey(w.counterId, w.withinDays)] = !counter
      ? 0
      : w.withinDays === null
        ? counter.total
        : windowSum(counter.perDay, today, w.withinDays);
  }
  return facts;
}

function sameValue(a: FactValue | undefined, b: FactValue | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  const ma = a as Record<string, number>;
  const mb = b as Record<string, number>;
  const ka = Object.keys(ma);
  if (ka.length !== Object.keys(mb).length) return false;
  for (const k of ka) if (ma[k] !== mb[k]) return false;
  return true;
}

/** The keys whose values differ (present in either). */
export function changedFacts(before: Facts, after: Facts): string[] {
  const changed: string[] = [];
  for (const key of Object.keys(after)) if (!sameValue(before[key], after[key])) changed.push(key);
  for (const key of Object.keys(before)) if (!(key in after)) changed.push(key);
  return changed;
}
