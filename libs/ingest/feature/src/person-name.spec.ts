import { normalizePersonName } from './person-name';

describe(normalizePersonName.name, () => {
  it.each([
    ['  Ada  ', 'Ada'],
    ['ada', 'Ada'],
    ['ADA', 'Ada'],
    ['ada   lovelace', 'Ada Lovelace'],
    ['JEAN-LUC', 'Jean-Luc'],
    ["o'brien", "O'Brien"],
    ['émile zola', 'Émile Zola'],
    ['ÉMILE ZOLA', 'Émile Zola'],
    ['zoë', 'Zoë'],
  ])('tidies one-case %j to %j', (input, expected) => {
    expect(normalizePersonName(input)).toBe(expected);
  });

  it.each([
    ['McDonald', 'McDonald'],
    ['van der Berg', 'van der Berg'],
    ['  DeShawn\t O’Neil ', 'DeShawn O’Neil'],
    ['李', '李'],
    ['ÉMILE zola', 'ÉMILE zola'],
  ])('keeps mixed-case (or caseless) %j as written, tidying whitespace', (input, expected) => {
    expect(normalizePersonName(input)).toBe(expected);
  });

  it('is undefined for a blank value', () => {
    expect(normalizePersonName(' \n ')).toBeUndefined();
  });
});
