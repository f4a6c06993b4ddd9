import { soundex } from './phonetic';

describe(soundex.name, () => {
  it.each([
    ['Robert', 'R163'],
    ['Rupert', 'R163'],
    ['Rubin', 'R150'],
    ['Ashcraft', 'A261'],
    ['Tymczak', 'T522'],
    ['Pfister', 'P236'],
    ['Honeyman', 'H555'],
    ['Lee', 'L000'],
    ["O'Brien", 'O165'],
  ])('codes %s as %s', (name, code) => {
    expect(soundex(name)).toBe(code);
  });

  it('is empty without letters', () => {
    expect(soundex('123')).toBe('');
  });
});
