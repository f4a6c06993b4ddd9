import { createHash, timingSafeEqual } from 'node:crypto';

export type WriteKeyCheck = { ok: true } | { ok: false; message: string };

/**
 * Segment-style write-key authentication: the key is the HTTP Basic user name and the password
 * is empty (`Authorization: Basic base64("<writeKey>:")`), as Segment's libraries send it.
 *
 * Keys are compared as SHA-256 digests with timingSafeEqual, so neither a key's content nor its
 * length leaks through response timing. Keys are never logged or echoed.
 */
export class WriteKeys {
  private readonly digests: Buffer[];

  constructor(keys: readonly string[]) {
    this.digests = keys.map(digest);
  }

  get configured(): boolean {
    return this.digests.length > 0;
  }

  check(authorization: string | undefined): WriteKeyCheck {
    if (!this.configured) {
      return {
        ok: false,
        message:
          'The ingest HTTP API has no write keys configured, so it accepts no calls: set KAIROS_INGEST_WRITE_KEYS.',
      };
    }
    const key = writeKeyOf(authorization);
    if (key === undefined) {
      return {
        ok: false,
        message:
          'Missing write key: send it as the HTTP Basic user name with an empty password ("Authorization: Basic base64(<writeKey>:)").',
      };
    }
    const given = digest(key);
    // Compare against every key (no early exit), so the matching key's position does not leak.
    let match = false;
    for (const expected of this.digests) match = timingSafeEqual(given, expected) || match;
    return match ? { ok: true } : { ok: false, message: 'Invalid write key.' };
  }
}

/** The user name of an HTTP Basic authorization header, or undefined if there is none. */
export function writeKeyOf(authorization: string | undefined): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon === -1 ? decoded : decoded.slice(0, colon);
  return user === '' ? undefined : user;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
