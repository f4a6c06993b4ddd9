import { areNicknames } from './nicknames';
import { jaroWinkler, levenshteinSimilarity } from './string-similarity';

/**
 * Field comparators: each turns two normalized values into an agreement level. Levels, not raw
 * similarities, are what Fellegi-Sunter weighs: each level has its own m and u probability.
 * 'missing' (either side unknown) carries no evidence either way.
 */
export type NameLevel = 'exact' | 'nickname' | 'similar' | 'initial' | 'different' | 'missing';
export type DateLevel = 'exact' | 'transposed' | 'one-off' | 'year-only' | 'different' | 'missing';
export type PhoneLevel = 'exact' | 'last7' | 'different' | 'missing';
export type AddressLevel = 'exact' | 'similar' | 'different' | 'missing';
export type PostcodeLevel = 'exact' | 'area' | 'different' | 'missing';
export type EmailLevel = 'exact' | 'local-part' | 'different' | 'missing';

/** Jaro-Winkler at or above this counts as a typo of the same name. */
export const NAME_SIMILAR_THRESHOLD = 0.9;
/** Normalized Levenshtein at or above this counts as the same street line. */
export const ADDRESS_SIMILAR_THRESHOLD = 0.85;

/** Given names: equal, a nickname of each other (Bob/Robert), a typo, an initial, or not. */
export function compareFirstName(a: string | null, b: string | null): NameLevel {
  if (!a || !b) return 'missing';
  if (a === b) return 'exact';
  if (areNicknames(a, b)) return 'nickname';
  if (jaroWinkler(a, b) >= NAME_SIMILAR_THRESHOLD) return 'similar';
  if ((a.length === 1 || b.length === 1) && a[0] === b[0]) return 'initial';
  return 'different';
}

/** Family names: equal, a typo, or not (double-barrelled: one containing the other is similar). */
export function compareLastName(a: string | null, b: string | null): NameLevel {
  if (!a || !b) return 'missing';
  if (a === b) return 'exact';
  if (jaroWinkler(a, b) >= NAME_SIMILAR_THRESHOLD) return 'similar';
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length >= 4 && long.split(/[ -]/).includes(short)) return 'similar';
  return 'different';
}

/**
 * Birth dates (YYYY-MM-DD): exact; day and month swapped (a US/EU entry mix-up, only when the
 * swap is itself a valid, different date); one digit off in one part (a typo); same year only;
 * different.
 */
export function compareBirthDate(a: string | null, b: string | null): DateLevel {
  if (!a || !b) return 'missing';
  if (a === b) return 'exact';
  const [ya, ma, da] = a.split('-');
  const [yb, mb, db] = b.split('-');
  if (ya === yb && ma === db && da === mb) return 'transposed';
  const parts = [ya === yb, ma === mb, da === db];
  if (parts.filter(Boolean).length === 2) {
    const [x, y] = !parts[0] ? [ya, yb] : !parts[1] ? [ma, mb] : [da, db];
    if (x.length === y.length && [...x].filter((c, i) => c !== y[i]).length === 1) return 'one-off';
  }
  if (ya === yb) return 'year-only';
  return 'different';
}

/** Phones (digits only): equal, same last 7 digits (a country/area prefix written differently). */
export function comparePhone(a: string | null, b: string | null): PhoneLevel {
  if (!a || !b) return 'missing';
  if (a === b) return 'exact';
  if (a.length >= 7 && b.length >= 7 && a.slice(-7) === b.slice(-7)) return 'last7';
  return 'different';
}

/** Street lines: equal, or close by normalized Levenshtein (typos, a missing flat number). */
export function compareAddress(a: string | null, b: string | null): AddressLevel {
  if (!a || !b) return 'missing';
  if (a === b) return 'exact';
  return levenshteinSimilarity(a, b) >= ADDRESS_SIMILAR_THRESHOLD ? 'similar' : 'different';
}

/** Postcodes (upper-case, no spaces): equal, same outward part/area (all but the last 3), or not. */
export function comparePostcode(a: string | null, b: string | null): PostcodeLevel {
  if (!a || !b) return 'missing';
  if (a === b) return 'exact';
  const area = (p: string) => (p.length > 4 ? p.slice(0, -3) : p.slice(0, 2));
  return area(a) === area(b) ? 'area' : 'different';
}

/** Emails: equal (normally already merged), same local part at another domain, or not. */
export function compareEmail(a: string | null, b: string | null): EmailLevel {
  if (!a || !b) return 'missing';
  if (a === b) return 'exact';
  const local = (e: string) => e.split('@')[0].replace(/\+.*$/, '').replace(/\./g, '');
  return local(a) === local(b) && local(a).length >= 4 ? 'local-part' : 'different';
}
