import type { CartItem } from '@kairos/contracts';
import { CommerceEvents, numberOf, productIdOf, stringOf, type TraitEvent } from './commerce-event';

/** The computed traits of one profile: what segments and triggers are evaluated on. */
export interface ComputedTraits {
  profileId: string;
  /** Every event attributed to the profile, in any order of arrival. */
  eventCount: number;
  orderCount: number;
  /** Sum of Order Completed revenue (or total); currencies are not converted yet. */
  totalSpent: number;
  /** Event time of the newest event seen (never moves backwards). */
  lastEventAt: Date | null;
  /** Event time of the newest Order Completed seen (never moves backwards). */
  lastOrderAt: Date | null;
  /** The open cart, in the order lines were first added. */
  cart: CartItem[];
  /** Event time of the newest event that changed the cart (add, remove, or an order clearing it). */
  lastCartActivityAt: Date | null;
}

export function emptyTraits(profileId: string): ComputedTraits {
  return {
    profileId,
    eventCount: 0,
    orderCount: 0,
    totalSpent: 0,
    lastEventAt: null,
    lastOrderAt: null,
    cart: [],
    lastCartActivityAt: null,
  };
}

/**
 * Fold one event into a profile's traits (pure; returns a new object).
 *
 * Out-of-order events (a late event whose time is before what the traits already reflect):
 *  - counters (event_count, order_count, total_spent) are sums, so they are order-independent
 *    and always applied;
 *  - last_event_at / last_order_at take the maximum, so they only ever move forward;
 *  - the cart is *state*, and a late add/remove/order cannot be re-ordered into a history we do
 *    not keep: a cart change is applied only if its event time is at or after
 *    last_cart_activity_at, otherwise it is ignored for the cart (the newer cart state wins).
 *    Equal times are applied in arrival order.
 * Exactly-once per event id is the caller's job (the reducer is not idempotent by itself).
 */
export function applyEvent(traits: ComputedTraits, event: TraitEvent): ComputedTraits {
  const at = new Date(event.timestamp);
  const next: ComputedTraits = {
    ...traits,
    cart: traits.cart.map((line) => ({ ...line })),
    eventCount: traits.eventCount + 1,
    lastEventAt: maxDate(traits.lastEventAt, at),
  };
  if (event.type !== 'track') return next;

  const properties = event.properties;
  const cartIsCurrent =
    traits.lastCartActivityAt === null || at.getTime() >= traits.lastCartActivityAt.getTime();

  switch (event.event) {
    case CommerceEvents.ProductAdded: {
      const productId = productIdOf(properties);
      if (!productId || !cartIsCurrent) return next;
      next.cart = addToCart(next.cart, productId, properties);
      next.lastCartActivityAt = at;
      return next;
    }
    case CommerceEvents.ProductRemoved: {
      const productId = productIdOf(properties);
      if (!productId || !cartIsCurrent) return next;
      next.cart = removeFromCart(next.cart, productId, positiveInt(properties.quantity));
      next.lastCartActivityAt = at;
      return next;
    }
    case CommerceEvents.OrderCompleted: {
      next.orderCount = traits.orderCount + 1;
      next.totalSpent = roundMoney(traits.totalSpent + orderRevenue(properties));
      next.lastOrderAt = maxDate(traits.lastOrderAt, at);
      if (cartIsCurrent) {
        // The order is the checkout of the open cart: whatever was in it is no longer "open".
        next.cart = [];
        next.lastCartActivityAt = at;
      }
      return next;
    }
    default:
      return next;
  }
}

/** Segment's Order Completed carries `revenue` (preferred) or `total`; neither counts as 0. */
export function orderRevenue(properties: Record<string, unknown>): number {
  return numberOf(properties.revenue) ?? numberOf(properties.total) ?? 0;
}

function addToCart(
  cart: CartItem[],
  productId: string,
  properties: Record<string, unknown>,
): CartItem[] {
  const quantity = positiveInt(properties.quantity) ?? 1;
  const name = stringOf(properties.name);
  const price = numberOf(properties.price);
  const imageUrl = stringOf(properties.image_url);
  const url = stringOf(properties.url);
  const existing = cart.find((line) => line.productId === productId);
  if (existing) {
    existing.quantity += quantity;
    // The newest event knows the current name and price best.
    if (name !== undefined) existing.name = name;
    if (price !== undefined) existing.price = price;
    if (imageUrl !== undefined) existing.imageUrl = imageUrl;
    if (url !== undefined) existing.url = url;
    return cart;
  }
  // A line always has a name to show; the id stands in until an event names the product.
  const line: CartItem = { productId, name: name ?? productId, price: price ?? null, quantity };
  if (imageUrl !== undefined) line.imageUrl = imageUrl;
  if (url !== undefined) line.url = url;
  return [...cart, line];
}

/**
 * Product Removed takes away `quantity` units when it says how many, else the whole line; a line
 * whose quantity reaches zero disappears (invariant: every line has a positive quantity).
 */
function removeFromCart(
  cart: CartItem[],
  productId: string,
  quantity: number | undefined,
): CartItem[] {
  return cart.flatMap((line) => {
    if (line.productId !== productId) return [line];
    const left = quantity === undefined ? 0 : line.quantity - quantity;
    return left > 0 ? [{ ...line, quantity: left }] : [];
  });
}

function positiveInt(value: unknown): number | undefined {
  const n = numberOf(value);
  return n !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
}

export function maxDate(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return a.getTime() >= b.getTime() ? a : b;
}

/** Money is summed in JS numbers; rounding to 1/10000 keeps float noise out of the column. */
export function roundMoney(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
