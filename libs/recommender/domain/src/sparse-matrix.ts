/**
 * Compressed sparse matrices on typed arrays. Invariants of every instance (checked by the
 * builders, relied on by the solvers): `indptr` has length major+1, is non-decreasing, starts at
 * 0 and ends at nnz; within one row (CSR) or column (CSC) the minor indices are strictly
 * increasing (duplicates were summed while building).
 */
export interface Triples {
  rows: ArrayLike<number>;
  cols: ArrayLike<number>;
  values: ArrayLike<number>;
}

/** Row-major compressed storage: row r is `indices/data[indptr[r] .. indptr[r+1])`. */
export class CsrMatrix {
  constructor(
    readonly nRows: number,
    readonly nCols: number,
    readonly indptr: Int32Array,
    readonly indices: Int32Array,
    readonly data: Float32Array,
  ) {
    if (indptr.length !== nRows + 1) throw new RangeError('indptr must have nRows + 1 entries');
    if (indices.length !== data.length) throw new RangeError('indices and data differ in length');
  }

  /**
   * Builds from (row, col, value) triples in any order; duplicate (row, col) pairs are summed.
   * Two stable counting sorts (by column, then by row) give (row, col) order in O(nnz + n).
   */
  static fromTriples(nRows: number, nCols: number, triples: Triples): CsrMatrix {
    const { indptr, indices, data } = compress(
      nRows,
      nCols,
      triples.rows,
      triples.cols,
      triples.values,
    );
    return new CsrMatrix(nRows, nCols, indptr, indices, data);
  }

  get nnz(): number {
    return this.indices.length;
  }

  /** Column indices of row r (a view, no copy). */
  rowIndices(r: number): Int32Array {
    return this.indices.subarray(this.indptr[r], this.indptr[r + 1]);
  }

  /** Values of row r (a view, no copy), aligned with {@link rowIndices}. */
  rowValues(r: number): Float32Array {
    return this.data.subarray(this.indptr[r], this.indptr[r + 1]);
  }

  rowLength(r: number): number {
    return this.indptr[r + 1] - this.indptr[r];
  }

  /** The stored value at (r, c), 0 when absent (binary search in the row). */
  get(r: number, c: number): number {
    let lo = this.indptr[r];
    let hi = this.indptr[r + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const col = this.indices[mid];
      if (col === c) return this.data[mid];
      if (col < c) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  /** The transpose as a new CSR matrix (nCols × nRows); minor indices stay sorted. */
  transpose(): CsrMatrix {
    const { indptr, indices, data } = transposeCompressed(
      this.nRows,
      this.nCols,
      this.indptr,
      this.indices,
      this.data,
    );
    return new CsrMatrix(this.nCols, this.nRows, indptr, indices, data);
  }

  /** The same matrix in column-major storage. */
  toCsc(): CscMatrix {
    const t = this.transpose();
    return new CscMatrix(this.nRows, this.nCols, t.indptr, t.indices, t.data);
  }
}

/** Column-major compressed storage: column c is `indices/data[indptr[c] .. indptr[c+1])`. */
export class CscMatrix {
  constructor(
    readonly nRows: number,
    readonly nCols: number,
    readonly indptr: Int32Array,
    readonly indices: Int32Array,
    readonly data: Float32Array,
  ) {
    if (indptr.length !== nCols + 1) throw new RangeError('indptr must have nCols + 1 entries');
    if (indices.length !== data.length) throw new RangeError('indices and data differ in length');
  }

  static fromTriples(nRows: number, nCols: number, triples: Triples): CscMatrix {
    const { indptr, indices, data } = compress(
      nCols,
      nRows,
      triples.cols,
      triples.rows,
      triples.values,
    );
    return new CscMatrix(nRows, nCols, indptr, indices, data);
  }

  get nnz(): number {
    return this.indices.length;
  }

  /** Row indices of column c (a view). */
  colIndices(c: number): Int32Array {
    return this.indices.subarray(this.indptr[c], this.indptr[c + 1]);
  }

  /** Values of column c (a view), aligned with {@link colIndices}. */
  colValues(c: number): Float32Array {
    return this.data.subarray(this.indptr[c], this.indptr[c + 1]);
  }

  /** The same matrix in row-major storage. */
  toCsr(): CsrMatrix {
    const { indptr, indices, data } = transposeCompressed(
      this.nCols,
      this.nRows,
      this.indptr,
      this.indices,
      this.data,
    );
    return new CsrMatrix(this.nRows, this.nCols, indptr, indices, data);
  }

  /** The transpose (nCols × nRows) in CSC storage: same arrays, read the other way. */
  transposeToCsr(): CsrMatrix {
    return new CsrMatrix(this.nCols, this.nRows, this.indptr, this.indices, this.data);
  }
}

interface Compressed {
  indptr: Int32Array;
  indices: Int32Array;
  data: Float32Array;
}

/** Compress (major, minor, value) triples; duplicates summed; minor sorted within each major. */
function compress(
  nMajor: number,
  nMinor: number,
  major: ArrayLike<number>,
  minor: ArrayLike<number>,
  values: ArrayLike<number>,
): Compressed {
  const n = major.length;
  if (minor.length !== n || values.length !== n) throw new RangeError('triples differ in length');
  for (let t = 0; t < n; t++) {
    const a = major[t];
    const b = minor[t];
    if (!(a >= 0 && a < nMajor && b >= 0 && b < nMinor) || a % 1 !== 0 || b % 1 !== 0) {
      throw new RangeError(`triple ${t} (${a}, ${b}) is outside ${nMajor}×${nMinor}`);
    }
  }
  // Pass 1: stable counting sort of triple ids by minor index.
  const byMinor = countingSort(n, nMinor, (t) => minor[t], identityOrder(n));
  // Pass 2: stable counting sort by major index => (major, minor) order.
  const order = countingSort(n, nMajor, (t) => major[t], byMinor);

  const indptr = new Int32Array(nMajor + 1);
  const indices = new Int32Array(n);
  const data = new Float32Array(n);
  let out = 0;
  let t = 0;
  for (let m = 0; m < nMajor; m++) {
    indptr[m] = out;
    let last = -1;
    while (t < n && major[order[t]] === m) {
      const id = order[t];
      const col = minor[id];
      if (col === last) {
        data[out - 1] = data[out - 1] + values[id];
      } else {
        indices[out] = col;
        data[out] = values[id];
        out++;
        last = col;
      }
      t++;
    }
  }
  indptr[nMajor] = out;
  return { indptr, indices: indices.slice(0, out), data: data.slice(0, out) };
}

function identityOrder(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}

function countingSort(
  n: number,
  buckets: number,
  key: (id: number) => number,
  input: Int32Array,
): Int32Array {
  const start = new Int32Array(buckets + 1);
  for (let i = 0; i < n; i++) start[key(input[i]) + 1]++;
  for (let b = 0; b < buckets; b++) start[b + 1] = start[b + 1] + start[b];
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const id = input[i];
    const k = key(id);
    out[start[k]] = id;
    start[k]++;
  }
  return out;
}

/** Transpose compressed storage; scanning majors in order keeps the new minor indices sorted. */
function transposeCompressed(
  nMajor: number,
  nMinor: number,
  indptr: Int32Array,
  indices: Int32Array,
  data: Float32Array,
): Compressed {
  const nnz = indices.length;
  const outPtr = new Int32Array(nMinor + 1);
  for (let t = 0; t < nnz; t++) outPtr[indices[t] + 1]++;
  for (let c = 0; c < nMinor; c++) outPtr[c + 1] = outPtr[c + 1] + outPtr[c];
  const next = outPtr.slice(0, nMinor);
  const outIdx = new Int32Array(nnz);
  const outData = new Float32Array(nnz);
  for (let r = 0; r < nMajor; r++) {
    for (let t = indptr[r]; t < indptr[r + 1]; t++) {
      const c = indices[t];
      const dest = next[c];
      outIdx[dest] = r;
      outData[dest] = data[t];
      next[c] = dest + 1;
    }
  }
  return { indptr: outPtr, indices: outIdx, data: outData };
}
