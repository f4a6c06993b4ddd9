import type { MatchRecord } from './match-record';
import { nameForms } from './nicknames';
import { soundex } from './phonetic';

/**
 * Blocking keys: two records are compared only if they share one. Each key is cheap to index
 * and survives a common corruption the others do not:
 * - `nm:<soundex(name)>:<birth year>` for the last *and* the first name (so first/last swapped
 *   still meet), robust to spelling typos;
 * - `pf:<postcode>:<initial>` for every nickname form's initial (Bob/Robert meet at one home);
 * - `ph:<last 7 digits>` (country/area prefixes written differently);
 * - `ns:<soundex(last name)>:<postcode area>` for records without a birth date;
 * - `em:<email local part>` (the same mailbox name at another provider).
 * Keys hold no raw PII beyond a postcode and phone fragment; they are stored for look-up only.
 */
export function blockingKeys(r: MatchRecord): string[] {
  const keys = new Set<string>();
  const year = r.birthDate?.slice(0, 4);
  if (year) {
    for (const name of [r.firstName, r.lastName]) {
      const code = name ? soundex(name) : '';
      if (code) keys.add(`nm:${code}:${year}`);
    }
  }
  if (r.postcode && r.firstName) {
    for (const form of nameForms(r.firstName)) keys.add(`pf:${r.postcode}:${form[0]}`);
  }
  if (r.phone && r.phone.length >= 7) keys.add(`ph:${r.phone.slice(-7)}`);
  if (r.lastName && r.postcode) {
    const area = r.postcode.length > 4 ? r.postcode.slice(0, -3) : r.postcode.slice(0, 2);
    keys.add(`ns:${soundex(r.lastName)}:${area}`);
  }
  if (r.email) {
    const local = r.email.split('@')[0].replace(/\+.*$/, '').replace(/\./g, '');
    if (local.length >= 4) keys.add(`em:${local}`);
  }
  return [...keys].sort();
}

/**
 * Candidate pairs among records by shared blocking key, each pair once (lower id first). Keys
 * shared by more than `maxBlockSize` records are skipped: they are too common to discriminate
 * (a busy postcode) and would make the comparison quadratic.
 */
export function candidatePairs(
  records: readonly MatchRecord[],
  maxBlockSize = 200,
): [MatchRecord, MatchRecord][] {
  const blocks = new Map<string, MatchRecord[]>();
  for (const r of records) {
    for (const key of blockingKeys(r)) {
      const block = blocks.get(key) ?? [];
      block.push(r);
      blocks.set(key, block);
    }
  }
  const seen = new Set<string>();
  const pairs: [MatchRecord, MatchRecord][] = [];
  for (const block of blocks.values()) {
    if (block.length < 2 || block.length > maxBlockSize) continue;
    for (let i = 0; i < block.length; i++) {
      for (let j = i + 1; j < block.length; j++) {
        const [a, b] = block[i].id < block[j].id ? [block[i], block[j]] : [block[j], block[i]];
        const id = `${a.id}\u0000${b.id}`;
        if (seen.has(id)) continue;
        seen.add(id);
        pairs.push([a, b]);
      }
    }
  }
  return pairs;
}
