/**
 * What probabilistic matching looks at for one profile, normalized: lower-case names without
 * accents or punctuation, a YYYY-MM-DD birth date, phone digits only, an upper-case postcode
 * without spaces, and a lower-case street line with common abbreviations expanded.
 */
export interface MatchRecord {
  id: string;
  firstName: string | null;
  lastName: string | null;
  birthDate: string | null;
  phone: string | null;
  email: string | null;
  street: string | null;
  postcode: string | null;
}

export interface RawPerson {
  id: string;
  firstName?: string | null;
  lastName?: string | null;
  birthday?: string | null;
  phone?: string | null;
  email?: string | null;
  street?: string | null;
  postcode?: string | null;
}

export function toMatchRecord(raw: RawPerson): MatchRecord {
  return {
    id: raw.id,
    firstName: normalizeName(raw.firstName),
    lastName: normalizeName(raw.lastName),
    birthDate: raw.birthday && /^\d{4}-\d{2}-\d{2}$/.test(raw.birthday) ? raw.birthday : null,
    phone: normalizePhoneDigits(raw.phone),
    email: raw.email ? raw.email.trim().toLowerCase() || null : null,
    street: normalizeStreet(raw.street),
    postcode: raw.postcode ? raw.postcode.replace(/\s+/g, '').toUpperCase() || null : null,
  };
}

export function normalizeName(value: string | null | undefined): string | null {
  if (!value) return null;
  const plain = value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z ]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return plain === '' ? null : plain;
}

function normalizePhoneDigits(value: string | null | undefined): string | null {
  if (!value) return null;
  const digits = value.replace(/\D/g, '');
  return digits.length >= 7 ? digits : null;
}

const STREET_WORDS: Record<string, string> = {
  st: 'street',
  str: 'street',
  rd: 'road',
  ave: 'avenue',
  av: 'avenue',
  ln: 'lane',
  dr: 'drive',
  ct: 'court',
  pl: 'place',
  sq: 'square',
  blvd: 'boulevard',
  apt: 'apartment',
};

function normalizeStreet(value: string | null | undefined): string | null {
  const name = value
    ?.normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9 ]/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => STREET_WORDS[w] ?? w)
    .join(' ');
  return name ? name : null;
}
