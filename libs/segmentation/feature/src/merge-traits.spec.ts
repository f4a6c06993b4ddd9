import { emptyTraits, type ComputedTraits } from './traits-reducer';
import { mergeTraits } from './merge-traits';

const S = '11111111-1111-4111-8111-111111111111';
const M = '22222222-2222-4222-8222-222222222222';
const d = (iso: string) => new Date(iso);

function traits(profileId: string, patch: Partial<ComputedTraits>): ComputedTraits {
  return { ...emptyTraits(profileId), ...patch };
}

describe(mergeTraits.name, () => {
  it('adds counters, keeps the newest times and the survivor id', () => {
    const merged = mergeTraits(
      traits(S, {
        eventCount: 3,
        orderCount: 1,
        totalSpent: 10.5,
        lastEventAt: d('2026-01-02T00:00:00Z'),
        lastOrderAt: d('2026-01-01T00:00:00Z'),
      }),
      traits(M, {
        eventCount: 2,
        orderCount: 1,
        totalSpent: 4.25,
        lastEventAt: d('2026-01-01T00:00:00Z'),
        lastOrderAt: d('2026-01-01T12:00:00Z'),
      }),
    );
    expect(merged).toMatchObject({ profileId: S, eventCount: 5, orderCount: 2, totalSpent: 14.75 });
    expect(merged.lastEventAt?.toISOString()).toBe('2026-01-02T00:00:00.000Z');
    expect(merged.lastOrderAt?.toISOString()).toBe('2026-01-01T12:00:00.000Z');
  });

  it('combines carts line by line', () => {
    const merged = mergeTraits(
      traits(S, {
        cart: [{ productId: 'a', name: 'A', price: 1, quantity: 1 }],
        lastCartActivityAt: d('2026-01-01T10:00:00Z'),
      }),
      traits(M, {
        cart: [
          { productId: 'a', name: 'A old', price: 2, quantity: 2 },
          { productId: 'b', name: 'B', price: 3, quantity: 1 },
        ],
        lastCartActivityAt: d('2026-01-01T11:00:00Z'),
      }),
    );
    expect(merged.cart).toEqual([
      { productId: 'a', name: 'A', price: 1, quantity: 3 },
      { productId: 'b', name: 'B', price: 3, quantity: 1 },
    ]);
    expect(merged.lastCartActivityAt?.toISOString()).toBe('2026-01-01T11:00:00.000Z');
  });

  it("drops a cart that predates the other profile's last order", () => {
    const merged = mergeTraits(
      traits(S, {
        orderCount: 1,
        lastOrderAt: d('2026-01-01T12:00:00Z'),
        lastCartActivityAt: d('2026-01-01T12:00:00Z'),
      }),
      traits(M, {
        cart: [{ productId: 'a', name: 'A', price: 1, quantity: 1 }],
        lastCartActivityAt: d('2026-01-01T10:00:00Z'),
      }),
    );
    expect(merged.cart).toEqual([]);
  });
});
