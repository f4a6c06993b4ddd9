import { emptyTraits } from './traits-reducer';
import { diffMemberships, evaluateSegments, hasOpenCart, repeatBuyer } from './segment-rules';

const P = '5b0c1c2e-8f0a-4a49-9d7e-1f4c3b2a1d00';
const line = { productId: 'a', name: 'A', price: 1, quantity: 1 };

describe('built-in segments', () => {
  it(`${hasOpenCart.id} matches a non-empty cart only`, () => {
    expect(hasOpenCart.matches(emptyTraits(P))).toBe(false);
    expect(hasOpenCart.matches({ ...emptyTraits(P), cart: [line] })).toBe(true);
  });

  it(`${repeatBuyer.id} needs at least two orders`, () => {
    expect(repeatBuyer.matches({ ...emptyTraits(P), orderCount: 1 })).toBe(false);
    expect(repeatBuyer.matches({ ...emptyTraits(P), orderCount: 2 })).toBe(true);
  });
});

describe(evaluateSegments.name, () => {
  it('lists the matching segment ids, sorted', () => {
    expect(evaluateSegments(emptyTraits(P))).toEqual([]);
    expect(evaluateSegments({ ...emptyTraits(P), cart: [line], orderCount: 3 })).toEqual([
      'has-open-cart',
      'repeat-buyer',
    ]);
  });
});

describe(diffMemberships.name, () => {
  it('reports only actual changes', () => {
    expect(diffMemberships(['has-open-cart'], ['has-open-cart'])).toEqual({
      entered: [],
      exited: [],
    });
    expect(diffMemberships([], ['has-open-cart'])).toEqual({
      entered: ['has-open-cart'],
      exited: [],
    });
    expect(diffMemberships(['has-open-cart'], ['repeat-buyer'])).toEqual({
      entered: ['repeat-buyer'],
      exited: ['has-open-cart'],
    });
  });
});
