import { compileSegments, emptyTraits, toFacts } from '@kairos/segmentation/domain';
import { SEEDED_SEGMENT_DEFINITIONS, SKELETON_SEGMENT_DEFINITIONS } from './built-in-definitions';

const P = '5b0c1c2e-8f0a-4a49-9d7e-1f4c3b2a1d00';

describe('SEEDED_SEGMENT_DEFINITIONS', () => {
  it('compile together (valid, unique ids, no cycles)', () => {
    const compiled = compileSegments(SEEDED_SEGMENT_DEFINITIONS);
    expect(compiled.ok).toBe(true);
  });

  it('keep the skeleton meaning of has-open-cart and repeat-buyer', () => {
    const compiled = compileSegments(SKELETON_SEGMENT_DEFINITIONS);
    if (!compiled.ok) throw new Error('skeleton definitions do not compile');
    const now = Date.parse('2026-03-01T00:00:00Z');
    const withCart = {
      ...emptyTraits(P),
      cart: [{ productId: 'a', name: 'A', price: 1, quantity: 1 }],
    };
    expect(compiled.value.evaluateAll(toFacts(null, withCart, now))).toEqual(['has-open-cart']);
    expect(
      compiled.value.evaluateAll(toFacts(null, { ...emptyTraits(P), orderCount: 2 }, now)),
    ).toEqual(['repeat-buyer']);
    expect(compiled.value.evaluateAll(toFacts(null, emptyTraits(P), now))).toEqual([]);
  });
});
