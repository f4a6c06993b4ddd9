import { emptyTraits } from './traits-reducer';
import { toTraitsHash } from './hot-traits';

const P = '5b0c1c2e-8f0a-4a49-9d7e-1f4c3b2a1d00';

describe(toTraitsHash.name, () => {
  it('writes numbers as strings, the cart as JSON and leaves unknown times out', () => {
    const hash = toTraitsHash(
      {
        ...emptyTraits(P),
        eventCount: 2,
        totalSpent: 12.5,
        cart: [{ productId: 'a', name: 'A', price: 9.99, quantity: 2 }],
        lastEventAt: new Date('2026-01-01T10:00:00Z'),
        lastCartActivityAt: new Date('2026-01-01T10:00:00Z'),
      },
      new Date('2026-01-01T10:00:01Z'),
    );
    expect(hash).toEqual({
      profileId: P,
      eventCount: '2',
      orderCount: '0',
      totalSpent: '12.5',
      cart: '[{"productId":"a","name":"A","price":9.99,"quantity":2}]',
      cartItemCount: '2',
      lastEventAt: '2026-01-01T10:00:00.000Z',
      lastCartActivityAt: '2026-01-01T10:00:00.000Z',
      updatedAt: '2026-01-01T10:00:01.000Z',
    });
    expect(hash).not.toHaveProperty('lastOrderAt');
  });
});
