import type { MessageRequested } from '@kairos/contracts';
import { messageRequest } from './message-request';

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
  definition = { template: 'abandoned-cart', category: 'marketing' as const },
): MessageRequested {
  return messageRequest(
    {
      profileId: timer.profileId,
      kind: 'abandoned_cart',
      definitionId: 'abandoned_cart',
      idempotencyKey: timer.idempotencyKey,
      payload: { cart: timer.cart ?? [] },
    },
    definition,
    {},
    requestId,
    now,
  );
}
