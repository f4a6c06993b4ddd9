import { TfIdfModel, cosineSimilarity, lightStem, sparseDot, tokenize } from './tfidf';

describe(tokenize.name, () => {
  it('lower-cases, drops stopwords and punctuation, and stems lightly', () => {
    expect(tokenize('The Running Shoes, for KIDS!')).toEqual(['run', 'shoe', 'kid']);
    expect(tokenize('The Running Shoes', { stem: false })).toEqual(['running', 'shoes']);
    expect(['dresses', 'boxes', 'berries', 'hopped', 'glass', 'bus'].map(lightStem)).toEqual([
      'dress',
      'box',
      'berry',
      'hop',
      'glass',
      'bus',
    ]);
  });
});

describe(TfIdfModel.name, () => {
  const ones = { fieldWeights: { name: 1, description: 1, category: 1, brand: 1 } };
  const items = [{ name: 'red shoe' }, { name: 'blue shoe' }, { name: 'red hat' }];
  // N = 3; df(red) = df(shoe) = 2, df(blue) = df(hat) = 1; idf = ln((1+N)/(1+df)) + 1.
  const idf2 = Math.log(4 / 3) + 1; // 1.28768…
  const idf1 = Math.log(4 / 2) + 1; // 1.69315…

  it('weights by smoothed idf and L2-normalises (hand-computed)', () => {
    const model = TfIdfModel.fit(items, ones);
    const red = model.vocabulary.indexOf('red');
    const shoe = model.vocabulary.indexOf('shoe');
    const blue = model.vocabulary.indexOf('blue');
    expect(model.idf[red]).toBeCloseTo(idf2, 10);
    expect(model.idf[blue]).toBeCloseTo(idf1, 10);
    const a = model.itemVector(0);
    expect(Array.from(a.values)).toEqual([Math.fround(Math.SQRT1_2), Math.fround(Math.SQRT1_2)]);
    const b = model.itemVector(1);
    const norm = Math.hypot(idf1, idf2);
    expect(b.values[Array.from(b.indices).indexOf(blue)]).toBeCloseTo(idf1 / norm, 6);
    expect(b.values[Array.from(b.indices).indexOf(shoe)]).toBeCloseTo(idf2 / norm, 6);
    // cos(red shoe, blue shoe) = (1/√2) · idf2 / √(idf1² + idf2²) ≈ 0.42805
    expect(sparseDot(a, b)).toBeCloseTo(0.42805, 4);
    expect(cosineSimilarity(a, b)).toBeCloseTo(0.42805, 4);
  });

  it('scores every item against a profile from a single interaction (new user)', () => {
    const model = TfIdfModel.fit(items, ones);
    const scores = model.scoreAll(model.profile([{ itemIndex: 0, weight: 1 }]));
    expect(scores[0]).toBeCloseTo(1, 6);
    expect(scores[1]).toBeCloseTo(0.42805, 4);
    expect(scores[2]).toBeCloseTo(0.42805, 4);
  });

  it('builds a weighted profile Σ w·v, normalised', () => {
    const model = TfIdfModel.fit(items, ones);
    const profile = model.profile([
      { itemIndex: 0, weight: 3 },
      { itemIndex: 1, weight: 1 },
    ]);
    const a = model.itemVector(0);
    const b = model.itemVector(1);
    // Expected by hand: 3·a + b over the union of terms, then normalise.
    const terms = new Map<number, number>();
    a.indices.forEach((t, j) => terms.set(t, 3 * a.values[j]));
    b.indices.forEach((t, j) => terms.set(t, (terms.get(t) ?? 0) + b.values[j]));
    const norm = Math.hypot(...terms.values());
    profile.indices.forEach((t, j) =>
      expect(profile.values[j]).toBeCloseTo((terms.get(t) ?? 0) / norm, 6),
    );
    expect(Math.hypot(...profile.values)).toBeCloseTo(1, 6);
  });

  it('vectorises a new item with the fitted vocabulary and matches category/brand as whole values', () => {
    const model = TfIdfModel.fit([
      { name: 'trail shoe', category: 'Shoes', brand: 'Acme Home' },
      { name: 'home lamp', category: 'Lighting', brand: 'Lumo' },
      { name: 'road shoe', category: 'shoes ', brand: 'Other' },
    ]);
    expect(model.vocabulary.has('category:shoes')).toBe(true);
    expect(model.vocabulary.has('brand:acme home')).toBe(true);
    const fresh = model.vectorize({ name: 'Winter boots', category: 'Shoes' });
    expect(Array.from(fresh.indices)).toEqual([model.vocabulary.indexOf('category:shoes')]);
    const scores = model.scoreAll(fresh);
    expect(scores[0]).toBeGreaterThan(0);
    expect(scores[2]).toBeGreaterThan(0);
    expect(scores[1]).toBe(0);
  });
});
