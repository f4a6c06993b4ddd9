import { IndexMap } from './index-map';
import { DAY_MS, buildInteractionMatrix, decayFactor, type InteractionEvent } from './interactions';

describe(buildInteractionMatrix.name, () => {
  const ref = Date.UTC(2026, 0, 31);
  const weighting = {
    weights: { view: 1, add_to_cart: 3, purchase: 5, email_click: 2 },
    halfLifeMs: 10 * DAY_MS,
    referenceTime: ref,
  };
  const e = (
    userId: string,
    itemId: string,
    kind: InteractionEvent['kind'],
    daysAgo: number,
  ): InteractionEvent => ({
    userId,
    itemId,
    kind,
    at: ref - daysAgo * DAY_MS,
  });

  it('halves a weight per half-life and ignores events after the reference time', () => {
    expect(decayFactor(0, 10)).toBe(1);
    expect(decayFactor(10, 10)).toBeCloseTo(0.5, 12);
    expect(decayFactor(30, 10)).toBeCloseTo(0.125, 12);
    expect(decayFactor(30, Infinity)).toBe(1);
    const { matrix } = buildInteractionMatrix(
      [
        e('u1', 'a', 'view', 0),
        e('u1', 'a', 'add_to_cart', 10),
        e('u1', 'b', 'purchase', 20),
        e('u1', 'c', 'view', -1),
      ],
      weighting,
    );
    // a: 1 + 3·0.5 = 2.5; b: 5·0.25 = 1.25; c is in the future.
    expect(matrix.nCols).toBe(2);
    expect(matrix.get(0, 0)).toBeCloseTo(2.5, 6);
    expect(matrix.get(0, 1)).toBeCloseTo(1.25, 6);
  });

  it('flags purchases and keeps a fixed catalogue index', () => {
    const items = new IndexMap(['x', 'b', 'a']);
    const { matrix, purchased, users } = buildInteractionMatrix(
      [
        e('u2', 'a', 'email_click', 0),
        e('u1', 'b', 'purchase', 0),
        e('u1', 'b', 'purchase', 0),
        e('u1', 'zzz', 'view', 0),
      ],
      weighting,
      { items, fixedItems: true },
    );
    expect(users.ids()).toEqual(['u2', 'u1']);
    expect(matrix.nCols).toBe(3);
    expect(matrix.get(0, 2)).toBe(2);
    expect(matrix.get(1, 1)).toBe(10);
    expect(purchased.get(1, 1)).toBe(1);
    expect(purchased.get(0, 2)).toBe(0);
  });
});
