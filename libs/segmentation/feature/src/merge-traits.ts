import type { CartItem } from '@kairos/contracts';
import { maxDate, roundMoney, type ComputedTraits } from './traits-reducer';

/**
 * The traits of a survivor after another profile was merged into it (pure). Both profiles were
 * the same person all along, so:
 *  - counters add up and last_* times take the maximum;
 *  - the carts combine line by line (quantities add, the survivor's name/price win), except that
 *    a side's cart whose last activity is older than the other side's last order is dropped:
 *    that cart was most likely checked out on the other device, and announcing it as an open
 *    cart would send an abandoned-cart mail for something already bought.
 */
export function mergeTraits(survivor: ComputedTraits, merged: ComputedTraits): ComputedTraits {
  const survivorCart = isStale(survivor, merged) ? [] : survivor.cart;
  const mergedCart = isStale(merged, survivor) ? [] : merged.cart;
  return {
    profileId: survivor.profileId,
    eventCount: survivor.eventCount + merged.eventCount,
    orderCount: survivor.orderCount + merged.orderCount,
    totalSpent: roundMoney(survivor.totalSpent + merged.totalSpent),
    lastEventAt: maxDate(survivor.lastEventAt, merged.lastEventAt),
    lastOrderAt: maxDate(survivor.lastOrderAt, merged.lastOrderAt),
    cart: combineCarts(survivorCart, mergedCart),
    lastCartActivityAt: maxDate(survivor.lastCartActivityAt, merged.lastCartActivityAt),
  };
}

/** A cart is stale when the other profile completed an order after the cart last changed. */
function isStale(side: ComputedTraits, other: ComputedTraits): boolean {
  if (side.cart.length === 0 || other.lastOrderAt === null) return false;
  return (
    side.lastCartActivityAt === null ||
    side.lastCartActivityAt.getTime() < other.lastOrderAt.getTime()
  );
}

function combineCarts(first: CartItem[], second: CartItem[]): CartItem[] {
  const lines = first.map((line) => ({ ...line }));
  for (const line of second) {
    const existing = lines.find((l) => l.productId === line.productId);
    if (existing) existing.quantity += line.quantity;
    else lines.push({ ...line });
  }
  return lines;
}
