import type { ComputedTraits } from './traits-reducer';

/**
 * The Redis hash layout of `HotKeys.traits(profileId)`, read by the renderer and the trigger
 * scheduler at send time. Numbers are decimal strings, times ISO-8601 UTC, the cart a JSON array
 * of CartItem; a field that has no value (e.g. lastOrderAt before the first order) is absent.
 * The writer adds `version` (the row's write version), which keeps an older state from
 * overwriting a newer one (hot-traits.repository.ts).
 */
export function toTraitsHash(traits: ComputedTraits, updatedAt: Date): Record<string, string> {
  const hash: Record<string, string> = {
    profileId: traits.profileId,
    eventCount: String(traits.eventCount),
    orderCount: String(traits.orderCount),
    totalSpent: String(traits.totalSpent),
    cart: JSON.stringify(traits.cart),
    cartItemCount: String(traits.cart.reduce((sum, line) => sum + line.quantity, 0)),
    updatedAt: updatedAt.toISOString(),
  };
  if (traits.lastEventAt) hash.lastEventAt = traits.lastEventAt.toISOString();
  if (traits.lastOrderAt) hash.lastOrderAt = traits.lastOrderAt.toISOString();
  if (traits.lastCartActivityAt) hash.lastCartActivityAt = traits.lastCartActivityAt.toISOString();
  return hash;
}
