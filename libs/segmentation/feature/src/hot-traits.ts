import { toFacts, type FactValue } from '@kairos/segmentation/domain';
import type { StoredTraits } from './computed-traits.repository';
import { toProfileSnapshot } from './profile-input';

/** Traits-hash fields copied from the facts (numbers or names; times are ISO-8601). */
const FACT_FIELDS: Readonly<Record<string, string>> = {
  eventCount: 'traits.eventCount',
  orderCount: 'traits.orderCount',
  ltv: 'traits.ltv',
  aov: 'traits.aov',
  cartItemCount: 'traits.cartItemCount',
  cartValue: 'traits.cartValue',
  purchases30d: 'traits.purchases30d',
  revenue30d: 'traits.revenue30d',
  openRate30d: 'traits.openRate30d',
  clickRate30d: 'traits.clickRate30d',
  visits30d: 'traits.visits30d',
  topCategory: 'traits.topCategory',
  topBrand: 'traits.topBrand',
  loyaltyTier: 'traits.loyaltyTier',
  firstOrderAt: 'traits.firstOrderAt',
  lastOrderAt: 'traits.lastOrderAt',
  lastEventAt: 'traits.lastEventAt',
  lastOpenAt: 'traits.lastOpenAt',
  lastCartActivityAt: 'traits.lastCartActivityAt',
  signupAt: 'traits.signupAt',
};
const TIME_FIELDS = new Set([
  'firstOrderAt',
  'lastOrderAt',
  'lastEventAt',
  'lastOpenAt',
  'lastCartActivityAt',
  'signupAt',
]);

/**
 * The Redis hash layout of `HotKeys.traits(profileId)`, read by the renderer (and the e2e test)
 * at send time:
 *  - `cart`: JSON array of CartItem {productId, name, price, quantity, …} (unchanged since the
 *    skeleton), `cartItemCount`, `cartValue`;
 *  - `totalSpent` (= `ltv`, kept under its skeleton name), `eventCount`, `orderCount`, `aov`;
 *  - 30-day windows (`purchases30d`, `revenue30d`, `openRate30d`, `clickRate30d`, `visits30d`)
 *    as of `evaluatedAt` — the sweep re-evaluates (and so rewrites) each profile once a day;
 *  - `topCategory`, `topBrand`, `loyaltyTier`, times (ISO-8601 UTC);
 *  - `primarySegment`: the highest-priority dynamic segment the profile is in;
 *  - `updatedAt`, `evaluatedAt`; the writer adds `version`.
 * Numbers are decimal strings; a field without a value (no order yet, no segment) is absent.
 */
export function toTraitsHash(stored: StoredTraits): Record<string, string> {
  const at = (stored.evaluatedAt ?? stored.updatedAt).getTime();
  const facts = toFacts(toProfileSnapshot(stored.profile), stored.traits, at);
  const hash: Record<string, string> = {
    profileId: stored.profileId,
    cart: JSON.stringify(stored.traits.cart),
    totalSpent: String(stored.traits.ltv),
    updatedAt: stored.updatedAt.toISOString(),
  };
  for (const [field, key] of Object.entries(FACT_FIELDS)) {
    const value = text(facts[key], TIME_FIELDS.has(field));
    if (value !== undefined) hash[field] = value;
  }
  if (stored.primarySegment) hash.primarySegment = stored.primarySegment;
  if (stored.evaluatedAt) hash.evaluatedAt = stored.evaluatedAt.toISOString();
  return hash;
}

function text(value: FactValue | undefined, isTime: boolean): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return isTime ? new Date(value).toISOString() : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  return undefined;
}
