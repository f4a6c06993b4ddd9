/**
 * American Soundex (the census variant): first letter kept, then digits for consonant classes;
 * vowels separate repeated codes, 'h' and 'w' do not. "Robert" and "Rupert" → R163,
 * "Tymczak" → T522, "Pfister" → P236. Non-letters are ignored; '' for no letters.
 */
export function soundex(name: string): string {
  const letters = name.toLowerCase().replace(/[^a-z]/g, '');
  if (letters === '') return '';
  const code = (c: string): string => {
    if ('bfpv'.includes(c)) return '1';
    if ('cgjkqsxz'.includes(c)) return '2';
    if ('dt'.includes(c)) return '3';
    if (c === 'l') return '4';
    if ('mn'.includes(c)) return '5';
    if (c === 'r') return '6';
    if ('hw'.includes(c)) return 'h';
    return '0';
  };
  let out = letters[0].toUpperCase();
  let last = code(letters[0]);
  for (let i = 1; i < letters.length && out.length < 4; i++) {
    const c = code(letters[i]);
    if (c === 'h') continue; // h/w: the codes on either side still collapse
    if (c !== '0' && c !== last) out += c;
    last = c;
  }
  return out.padEnd(4, '0');
}
