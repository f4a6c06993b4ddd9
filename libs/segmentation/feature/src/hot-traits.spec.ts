import { applyEvent, emptyTraits } from '@kairos/segmentation/domain';
import type { StoredTraits } from './computed-traits.repository';
import { toTraitsHash } from './hot-traits';

const P = '5b0c1c2e-8f0a-4a49-9d7e-1f4c3b2a1d00';
const NOW = Date.parse('2026-01-01T10:00:01Z');

function stored(patch: Partial<StoredTraits> = {}): StoredTraits {
  return {
    profileId: P,
    traits: emptyTraits(P),
    profile: null,
    profileVersion: 0,
    evaluatedAt: new Date(NOW),
    primarySegment: null,
    version: 1,
    createdAt: new Date(NOW),
    updatedAt: new Date(NOW),
    ...patch,
  };
}

describe(toTraitsHash.name, () => {
  it('keeps the skeleton fields (cart JSON of CartItem) and adds windows and the primary segment', () => {
    const traits = [
      {
        type: 'track' as const,
        event: 'Product Added',
        properties: { product_id: 'a', name: 'A', price: 9.99, quantity: 2 },
        timestamp: '2026-01-01T10:00:00Z',
      },
      {
        type: 'track' as const,
        event: 'Order Completed',
        properties: { revenue: 12.5 },
        timestamp: '2025-12-31T10:00:00Z',
      },
    ].reduce((t, e) => applyEvent(t, e, NOW), emptyTraits(P));
    const hash = toTraitsHash(stored({ traits, primarySegment: 'has-open-cart' }));
    expect(hash).toMatchObject({
      profileId: P,
      eventCount: '2',
      orderCount: '1',
      totalSpent: '12.5',
      ltv: '12.5',
      cartItemCount: '2',
      cartValue: '19.98',
      purchases30d: '1',
      lastEventAt: '2026-01-01T10:00:00.000Z',
      lastOrderAt: '2025-12-31T10:00:00.000Z',
      lastCartActivityAt: '2026-01-01T10:00:00.000Z',
      primarySegment: 'has-open-cart',
      updatedAt: '2026-01-01T10:00:01.000Z',
    });
    expect(JSON.parse(hash.cart)).toEqual([
      { productId: 'a', name: 'A', price: 9.99, quantity: 2 },
    ]);
  });

  it('leaves out what has no value', () => {
    const hash = toTraitsHash(stored());
    expect(hash).not.toHaveProperty('lastOrderAt');
    expect(hash).not.toHaveProperty('primarySegment');
    expect(hash).not.toHaveProperty('openRate30d');
    expect(hash.cart).toBe('[]');
  });
});
