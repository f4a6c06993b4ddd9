import type { MessageRequested } from '@kairos/contracts';

export interface FiredCartTimer {
  profileId: string;
  idempotencyKey: string;
  cart: MessageRequested['cart'];
}

/**
 * The message request an abandoned-cart timer fires: a self-contained snapshot (the cart as the
 * scheduler saw it) under the timer's idempotency key, so however often the request is
 * delivered, the renderer sends at most one email for this cart.
 */
export function abandonedCartRequest(
  timer: FiredCartTimer,
  requestId: string,
  now: Date,
): MessageRequested {
  return {
    requestId,
    idempotencyKey: timer.idempotencyKey,
    profileId: timer.profileId,
    trigger: 'abandoned_cart',
    template: 'abandoned-cart',
    channel: 'email',
    category: 'marketing',
    cart: timer.cart ?? [],
    data: {},
    requestedAt: now.toISOString(),
  };
}
