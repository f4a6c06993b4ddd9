/**
 * Money values as Segment senders write them: numbers, or numeric strings ("19.99") — which are
 * converted. Anything else of the right JSON shape ("$19.99", "free", -5, Infinity) is unusable
 * and the caller drops it with a warning.
 */
export function toMoney(value: number | string): number | undefined {
  const n = typeof value === 'number' ? value : parseDecimal(value);
  return n !== undefined && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** A plain decimal number string; no currency signs, grouping separators or hex/exponent tricks. */
function parseDecimal(text: string): number | undefined {
  const trimmed = text.trim();
  return /^-?\d+(\.\d+)?$/.test(trimmed) || /^-?\.\d+$/.test(trimmed) ? Number(trimmed) : undefined;
}

const ISO_4217 = new Set(Intl.supportedValuesOf('currency'));

/** An ISO 4217 currency code, upper-cased ("eur" → "EUR"), or undefined when it is not one. */
export function normalizeCurrency(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const code = value.trim().toUpperCase();
  return /^[A-Z]{3}$/.test(code) && ISO_4217.has(code) ? code : undefined;
}
