import { CscMatrix, CsrMatrix } from './sparse-matrix';

describe(CsrMatrix.name, () => {
  // [[0, 2, 0],
  //  [1, 0, 3],
  //  [0, 0, 0],
  //  [4, 5, 0]]   given out of order, with (1,2) split in two duplicates 1 + 2.
  const triples = {
    rows: [3, 1, 0, 1, 3, 1],
    cols: [1, 2, 1, 0, 0, 2],
    values: [5, 1, 2, 1, 4, 2],
  };

  it('compresses triples in any order, summing duplicates, sorted within rows', () => {
    const m = CsrMatrix.fromTriples(4, 3, triples);
    expect(Array.from(m.indptr)).toEqual([0, 1, 3, 3, 5]);
    expect(Array.from(m.indices)).toEqual([1, 0, 2, 0, 1]);
    expect(Array.from(m.data)).toEqual([2, 1, 3, 4, 5]);
    expect(m.nnz).toBe(5);
    expect(Array.from(m.rowIndices(3))).toEqual([0, 1]);
    expect(Array.from(m.rowValues(1))).toEqual([1, 3]);
    expect(m.rowLength(2)).toBe(0);
    expect(m.get(1, 2)).toBe(3);
    expect(m.get(2, 1)).toBe(0);
  });

  it('transposes to columns-as-rows with sorted indices', () => {
    const t = CsrMatrix.fromTriples(4, 3, triples).transpose();
    expect([t.nRows, t.nCols]).toEqual([3, 4]);
    expect(Array.from(t.indptr)).toEqual([0, 2, 4, 5]);
    expect(Array.from(t.indices)).toEqual([1, 3, 0, 3, 1]);
    expect(Array.from(t.data)).toEqual([1, 4, 2, 5, 3]);
  });

  it('round-trips through CSC and builds CSC directly from triples', () => {
    const m = CsrMatrix.fromTriples(4, 3, triples);
    const csc = m.toCsc();
    const direct = CscMatrix.fromTriples(4, 3, triples);
    expect(Array.from(direct.indptr)).toEqual(Array.from(csc.indptr));
    expect(Array.from(csc.colIndices(1))).toEqual([0, 3]);
    expect(Array.from(csc.colValues(1))).toEqual([2, 5]);
    const back = csc.toCsr();
    expect(Array.from(back.indices)).toEqual(Array.from(m.indices));
    expect(Array.from(back.data)).toEqual(Array.from(m.data));
  });

  it('rejects triples outside the shape', () => {
    expect(() => CsrMatrix.fromTriples(2, 2, { rows: [2], cols: [0], values: [1] })).toThrow(
      RangeError,
    );
  });
});
