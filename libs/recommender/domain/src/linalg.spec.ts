import { choleskySolve, gramMatrix } from './linalg';

describe(choleskySolve.name, () => {
  it('solves a hand-checked SPD system', () => {
    // [[4, 2], [2, 3]] x = [2, 1] → x = [0.5, 0]
    const x = choleskySolve(Float64Array.from([4, 2, 2, 3]), [2, 1], 2);
    expect(x[0]).toBeCloseTo(0.5, 12);
    expect(x[1]).toBeCloseTo(0, 12);
  });

  it('rejects a matrix that is not positive definite', () => {
    expect(() => choleskySolve(Float64Array.from([1, 2, 2, 1]), [1, 1], 2)).toThrow(RangeError);
  });

  it('builds FᵀF + λI', () => {
    // F = [[1, 2], [3, 4]] → FᵀF = [[10, 14], [14, 20]]
    expect(Array.from(gramMatrix(Float32Array.from([1, 2, 3, 4]), 2, 2, 0.5))).toEqual([
      10.5, 14, 14, 20.5,
    ]);
  });
});
