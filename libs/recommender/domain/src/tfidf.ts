import { IndexMap } from './index-map';
import { CsrMatrix, type CscMatrix } from './sparse-matrix';

/** The product text the content model reads. */
export interface ItemText {
  name: string;
  description?: string;
  category?: string;
  brand?: string;
}

/** A sparse vector: strictly increasing `indices`, aligned `values`. */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be but by for from has have in is it its of on or our so that the this ' +
    'to was were will with you your we new best great more most very all any can'
  ).split(' '),
);

export interface TokenizeOptions {
  /** Apply {@link lightStem} (default true). */
  stem?: boolean;
  stopwords?: ReadonlySet<string>;
}

/**
 * A light suffix stripper (not Porter): enough that "shoes"/"shoe", "running"/"run",
 * "dresses"/"dress" meet. Words of 3 letters or fewer are left alone.
 */
export function lightStem(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ing') && word.length > 5) return undouble(word.slice(0, -3));
  if (word.endsWith('ed') && word.length > 4) return undouble(word.slice(0, -2));
  if (word.endsWith('es') && /(?:ch|sh|x|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}

function undouble(stem: string): string {
  const n = stem.length;
  return n > 2 && stem[n - 1] === stem[n - 2] && !'lsz'.includes(stem[n - 1])
    ? stem.slice(0, -1)
    : stem;
}

/** Lower-cases, splits on anything but letters and digits, drops stopwords and 1-letter tokens. */
export function tokenize(text: string, options: TokenizeOptions = {}): string[] {
  const stop = options.stopwords ?? STOPWORDS;
  const stem = options.stem ?? true;
  const tokens: string[] = [];
  for (const raw of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (raw.length < 2 || stop.has(raw)) continue;
    tokens.push(stem ? lightStem(raw) : raw);
  }
  return tokens;
}

export interface TfIdfOptions extends TokenizeOptions {
  /**
   * Term-frequency weight of one occurrence per field. Category and brand are whole-value terms
   * (`category:<value>`, `brand:<value>`), so "Acme Home" the brand does not match "home" in a
   * description.
   */
  fieldWeights?: { name: number; description: number; category: number; brand: number };
}

export const DEFAULT_FIELD_WEIGHTS = { name: 2, description: 1, category: 2, brand: 1 } as const;

/**
 * TF-IDF over the catalogue. tf = Σ field weights of the term's occurrences; idf = ln((1 + N) /
 * (1 + df)) + 1 (smoothed, so a term in every document still counts a little); every item vector
 * is L2-normalised, so a dot product is a cosine. Items are indexed 0..N−1 in the order given.
 */
export class TfIdfModel {
  private constructor(
    readonly vocabulary: IndexMap,
    readonly idf: Float64Array,
    /** items × terms, rows L2-normalised (an empty document is an all-zero row). */
    readonly itemVectors: CsrMatrix,
    /** The same matrix by term: which items contain a term (the inverted index). */
    private readonly byTerm: CscMatrix,
    private readonly options: TfIdfOptions,
  ) {}

  static fit(items: readonly ItemText[], options: TfIdfOptions = {}): TfIdfModel {
    const vocabulary = new IndexMap();
    const termCounts = items.map((item) =>
      termFrequencies(item, options, (t) => vocabulary.getOrAdd(t)),
    );
    const df = new Float64Array(vocabulary.size);
    for (const counts of termCounts) for (const term of counts.keys()) df[term]++;
    const n = items.length;
    const idf = new Float64Array(vocabulary.size);
    for (let t = 0; t < idf.length; t++) idf[t] = Math.log((1 + n) / (1 + df[t])) + 1;

    const rows: number[] = [];
    const cols: number[] = [];
    const values: number[] = [];
    termCounts.forEach((counts, item) => {
      const v = normalized(counts, idf);
      for (let j = 0; j < v.indices.length; j++) {
        rows.push(item);
        cols.push(v.indices[j]);
        values.push(v.values[j]);
      }
    });
    const itemVectors = CsrMatrix.fromTriples(n, vocabulary.size, { rows, cols, values });
    return new TfIdfModel(vocabulary, idf, itemVectors, itemVectors.toCsc(), options);
  }

  get nItems(): number {
    return this.itemVectors.nRows;
  }

  /** The stored, normalised vector of item i. */
  itemVector(i: number): SparseVector {
    return { indices: this.itemVectors.rowIndices(i), values: this.itemVectors.rowValues(i) };
  }

  /** Vectorises an item that was not in the fit (a new product); unknown terms are ignored. */
  vectorize(item: ItemText): SparseVector {
    const counts = termFrequencies(item, this.options, (t) => this.vocabulary.indexOf(t));
    return normalized(counts, this.idf);
  }

  /**
   * The profile of a person: Σ weight · item vector over engaged items, L2-normalised. One engaged
   * item is enough (the profile is then that item's vector).
   */
  profile(engaged: readonly { itemIndex: number; weight: number }[]): SparseVector {
    const acc = new Map<number, number>();
    for (const { itemIndex, weight } of engaged) {
      if (!(weight > 0) || itemIndex < 0 || itemIndex >= this.nItems) continue;
      const idx = this.itemVectors.rowIndices(itemIndex);
      const val = this.itemVectors.rowValues(itemIndex);
      for (let j = 0; j < idx.length; j++)
        acc.set(idx[j], (acc.get(idx[j]) ?? 0) + weight * val[j]);
    }
    return normalized(acc, undefined);
  }

  /** Cosine of the profile with every item (via the inverted index: only shared terms cost). */
  scoreAll(profile: SparseVector, out = new Float32Array(this.nItems)): Float32Array {
    out.fill(0);
    for (let j = 0; j < profile.indices.length; j++) {
      const term = profile.indices[j];
      const w = profile.values[j];
      const items = this.byTerm.colIndices(term);
      const vals = this.byTerm.colValues(term);
      for (let t = 0; t < items.length; t++) out[items[t]] += w * vals[t];
    }
    return out;
  }
}

/** Dot product of two sparse vectors (the cosine when both are L2-normalised). */
export function sparseDot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let s = 0;
  while (i < a.indices.length && j < b.indices.length) {
    const ai = a.indices[i];
    const bj = b.indices[j];
    if (ai === bj) s += a.values[i++] * b.values[j++];
    else if (ai < bj) i++;
    else j++;
  }
  return s;
}

/** Cosine similarity of any two sparse vectors (0 when either is zero). */
export function cosineSimilarity(a: SparseVector, b: SparseVector): number {
  const na = Math.sqrt(sparseDot(a, a));
  const nb = Math.sqrt(sparseDot(b, b));
  return na === 0 || nb === 0 ? 0 : sparseDot(a, b) / (na * nb);
}

function termFrequencies(
  item: ItemText,
  options: TfIdfOptions,
  termIndex: (term: string) => number,
): Map<number, number> {
  const weights = options.fieldWeights ?? DEFAULT_FIELD_WEIGHTS;
  const counts = new Map<number, number>();
  const add = (term: string, w: number) => {
    const t = termIndex(term);
    if (t >= 0 && w > 0) counts.set(t, (counts.get(t) ?? 0) + w);
  };
  for (const token of tokenize(item.name, options)) add(token, weights.name);
  for (const token of tokenize(item.description ?? '', options)) add(token, weights.description);
  const category = item.category?.trim().toLowerCase();
  if (category) add(`category:${category}`, weights.category);
  const brand = item.brand?.trim().toLowerCase();
  if (brand) add(`brand:${brand}`, weights.brand);
  return counts;
}

/** entries (×idf when given), sorted by index, L2-normalised. */
function normalized(entries: Map<number, number>, idf: Float64Array | undefined): SparseVector {
  const indices = Int32Array.from(entries.keys()).sort();
  const values = new Float32Array(indices.length);
  let norm = 0;
  const raw = new Float64Array(indices.length);
  for (let j = 0; j < indices.length; j++) {
    const v = (entries.get(indices[j]) ?? 0) * (idf ? idf[indices[j]] : 1);
    raw[j] = v;
    norm += v * v;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (let j = 0; j < raw.length; j++) values[j] = raw[j] / norm;
  return { indices, values };
}
