import { MessageRequested, parseContract } from '@kairos/contracts';
import { abandonedCartRequest } from './abandoned-cart-request';

describe(abandonedCartRequest.name, () => {
  const timer = {
    profileId: '6f1c2a9e-8b7d-4c3e-9f10-2a3b4c5d6e7f',
    idempotencyKey: 'abandoned_cart:6f1c2a9e-8b7d-4c3e-9f10-2a3b4c5d6e7f:t1',
    cart: [{ productId: 'p1', name: 'Shoe', price: 50, quantity: 1 }],
  };
  const request = abandonedCartRequest(
    timer,
    '0b8e1c1e-4d7a-4f43-9a2a-1f4c3a2b1c0d',
    new Date('2026-01-01T14:00:00Z'),
  );

  it('satisfies the MessageRequested contract', () => {
    expect(parseContract(MessageRequested, request)).toMatchObject({ ok: true });
  });

  it('asks for the abandoned-cart marketing email with the cart snapshot under the timer key', () => {
    expect(request).toMatchObject({
      idempotencyKey: timer.idempotencyKey,
      trigger: 'abandoned_cart',
      template: 'abandoned-cart',
      channel: 'email',
      category: 'marketing',
      cart: timer.cart,
      requestedAt: '2026-01-01T14:00:00.000Z',
    });
  });
});
