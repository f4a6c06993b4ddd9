import type { CartItem, JsonObject } from '@kairos/contracts';
import {
  addLine,
  cartFromProducts,
  cartLineFromProperties,
  productIdOf,
  removeLine,
  removedQuantityOf,
  type Cart,
} from './cart';

/** Segment e-commerce event names the abandoned-cart trigger listens to. */
export const CartEvents = {
  ProductAdded: 'Product Added',
  ProductRemoved: 'Product Removed',
  CartViewed: 'Cart Viewed',
  CheckoutStarted: 'Checkout Started',
  OrderCompleted: 'Order Completed',
} as const;

/** What a resolved event means for the person's cart. */
export type CartSignal =
  /** Product Added: a line to add (absent when the product had no id — still activity). */
  | { kind: 'add'; line: CartItem | undefined }
  | { kind: 'remove'; productId: string | undefined; quantity: number | undefined }
  /** Cart Viewed / Checkout Started: activity, and the full cart if the event lists it. */
  | { kind: 'activity'; products: CartItem[] | undefined }
  | { kind: 'purchase' };

/** The cart signal of an event, or undefined for events the trigger does not care about. */
export function cartSignalOf(event: {
  type: string;
  event?: string;
  properties: JsonObject;
}): CartSignal | undefined {
  if (event.type !== 'track') return undefined;
  switch (event.event) {
    case CartEvents.ProductAdded:
      return { kind: 'add', line: cartLineFromProperties(event.properties) };
    case CartEvents.ProductRemoved:
      return {
        kind: 'remove',
        productId: productIdOf(event.properties),
        quantity: removedQuantityOf(event.properties),
      };
    case CartEvents.CartViewed:
    case CartEvents.CheckoutStarted:
      return { kind: 'activity', products: cartFromProducts(event.properties) };
    case CartEvents.OrderCompleted:
      return { kind: 'purchase' };
    default:
      return undefined;
  }
}

/** The one armed abandoned-cart timer of a profile, as far as the policy needs to know. */
export interface ArmedCartTimer {
  dueAt: Date;
  cart: Cart;
}

export type AbandonedCartDecision =
  | { action: 'arm'; dueAt: Date; cart: CartItem[] }
  | { action: 'move'; dueAt: Date; cart: CartItem[] }
  | { action: 'cancel'; reason: string }
  | { action: 'none'; reason: string };

/**
 * The abandoned-cart rule: a cart left alone for `delayMs` after the last cart activity gets
 * one reminder.
 *
 *  - Cart activity (add, remove, view, checkout) arms the timer at activity + delay, or moves
 *    the armed one there; an event older than the latest activity never pulls the timer
 *    earlier (events may arrive late or out of order across retries).
 *  - A purchase cancels; a cart that became empty cancels (nothing to remind of).
 *  - The timer is only armed for a non-empty cart: a reminder without items is noise.
 */
export function decideAbandonedCart(
  signal: CartSignal,
  armed: ArmedCartTimer | undefined,
  activityAt: Date,
  delayMs: number,
): AbandonedCartDecision {
  if (signal.kind === 'purchase') {
    return armed
      ? { action: 'cancel', reason: 'order completed' }
      : { action: 'none', reason: 'no armed cart' };
  }

  let cart: CartItem[];
  switch (signal.kind) {
    case 'add':
      cart = signal.line ? addLine(armed?.cart ?? [], signal.line) : [...(armed?.cart ?? [])];
      break;
    case 'remove':
      if (!armed) return { action: 'none', reason: 'no armed cart' };
      cart = signal.productId
        ? removeLine(armed.cart, signal.productId, signal.quantity)
        : [...armed.cart];
      break;
    case 'activity':
      cart = signal.products ?? [...(armed?.cart ?? [])];
      break;
  }

  if (cart.length === 0) {
    return armed
      ? { action: 'cancel', reason: 'cart emptied' }
      : { action: 'none', reason: 'empty cart' };
  }
  const candidate = new Date(activityAt.getTime() + delayMs);
  if (!armed) return { action: 'arm', dueAt: candidate, cart };
  const dueAt =
    candidate.getTime() > armed.dueAt.getTime() ? candidate : new Date(armed.dueAt.getTime());
  return { action: 'move', dueAt, cart };
}

/**
 * When the activity happened: the event's own time, but never later than now, so a client
 * clock running ahead cannot push a reminder into the far future.
 */
export function activityTime(eventTimestamp: string, now: Date): Date {
  const at = new Date(eventTimestamp);
  if (Number.isNaN(at.getTime())) return now;
  return at.getTime() > now.getTime() ? now : at;
}

/** One send per cart: the key is fixed when the timer is armed and survives every move. */
export function abandonedCartIdempotencyKey(profileId: string, timerId: string): string {
  return `abandoned_cart:${profileId}:${timerId}`;
}
