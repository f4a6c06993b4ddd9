/**
 * Email syntax check for trait values. Deliberately pragmatic, not RFC 5322: it accepts what
 * mail providers actually hand out (dot-atom local part, DNS host names, IDN in punycode) and
 * rejects what would bounce or break a template (spaces, quotes, missing TLD, double dots).
 * Deliverability is checked later by the ESP, not here.
 */
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/** RFC 5321 limits: 64 octets local part, 254 for the whole forward path. */
const MAX_LOCAL = 64;
const MAX_TOTAL = 254;

/**
 * The canonical form of an email address (trimmed, lower-cased), or undefined when it is not a
 * syntactically valid address. Lower-casing the local part is technically lossy (RFC 5321
 * allows case-sensitive mailboxes) but no mainstream provider uses that, and identity resolution
 * needs one spelling per person to match profiles.
 */
export function normalizeEmail(value: string): string | undefined {
  const email = value.trim().toLowerCase();
  if (email.length > MAX_TOTAL) return undefined;
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return undefined;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length > MAX_LOCAL) return undefined;
  return LOCAL_PART.test(local) && DOMAIN.test(domain) ? email : undefined;
}
