import { SKELETON_SEGMENT_DEFINITIONS } from './built-in-definitions';
import { checkSegmentRequest } from './segment-request';

describe(checkSegmentRequest.name, () => {
  const others = SKELETON_SEGMENT_DEFINITIONS;

  it('accepts a valid definition, dynamic by default', () => {
    const result = checkSegmentRequest(
      {
        id: 'big-carts',
        name: 'Big carts',
        rules: { field: 'traits.cartValue', op: 'gte', value: 100 },
      },
      others,
    );
    expect(result).toMatchObject({
      ok: true,
      value: { kind: 'dynamic', definition: { id: 'big-carts' } },
    });
  });

  it('says where each problem is', () => {
    const result = checkSegmentRequest(
      {
        id: 'Bad Id',
        name: 'x',
        kind: 'sometimes',
        rules: {
          and: [
            { field: 'traits.purchases30', op: 'gt', value: 1 },
            { field: 'traits.ltv', op: 'gt', value: 'a lot' },
          ],
        },
      },
      others,
    );
    if (result.ok) throw new Error('expected issues');
    expect(result.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['$.kind', '$.id', '$.rules.and[0].field', '$.rules.and[1].value']),
    );
    expect(result.issues.find((i) => i.path === '$.rules.and[0].field')?.message).toContain(
      "did you mean 'traits.purchases30d'",
    );
  });

  it('checks references against the other segments', () => {
    const ok = checkSegmentRequest(
      {
        id: 'cart-not-repeat',
        name: 'x',
        rules: { and: [{ inSegment: 'has-open-cart' }, { not: { inSegment: 'repeat-buyer' } }] },
      },
      others,
    );
    expect(ok.ok).toBe(true);
    const bad = checkSegmentRequest({ id: 'y', name: 'y', rules: { inSegment: 'nope' } }, others);
    expect(bad).toEqual({
      ok: false,
      issues: [{ path: '$.rules.inSegment', message: "unknown segment 'nope'" }],
    });
  });

  it('rejects a body that is not an object', () => {
    expect(checkSegmentRequest([], others)).toMatchObject({ ok: false, issues: [{ path: '$' }] });
  });
});
