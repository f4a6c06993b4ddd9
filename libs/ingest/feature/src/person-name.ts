/**
 * A person's name, tidied: trimmed, inner whitespace collapsed to one space, and — only when the
 * whole value is in one case ("ada lovelace", "ADA LOVELACE") — title-cased. Mixed-case input is
 * kept as written, because its capitals are probably deliberate ("McDonald", "van der Berg",
 * "DeShawn"); guessing those rules is a rabbit hole we deliberately stay out of.
 * Undefined for a value that is empty after trimming.
 */
export function normalizePersonName(value: string): string | undefined {
  const name = value.trim().replace(/\s+/gu, ' ');
  if (name === '') return undefined;
  const lower = name.toLocaleLowerCase();
  const upper = name.toLocaleUpperCase();
  const oneCase = lower !== upper && (name === lower || name === upper);
  return oneCase ? titleCase(lower) : name;
}

/** Capitalize the first letter of each word part: after a space, hyphen or apostrophe. */
function titleCase(lower: string): string {
  return lower.replace(
    /(^|[\s'’-])(\p{L})/gu,
    (_, sep: string, letter: string) => sep + letter.toLocaleUpperCase(),
  );
}
