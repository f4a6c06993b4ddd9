/** Lenient readers for event payload values (upstream systems send numbers as strings, too). */

/** A finite number from a number or a numeric string, else undefined. */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Epoch ms of an ISO string / epoch number, else undefined. */
export function timeOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The values at a dotted property path. Arrays on the way fan out, so `products.category` on an
 * Order Completed yields the category of every product: a filter matches when ANY value does.
 */
export function valuesAtPath(root: unknown, path: readonly string[]): unknown[] {
  let current: unknown[] = [root];
  for (const segment of path) {
    const next: unknown[] = [];
    for (const value of current) {
      if (Array.isArray(value)) {
        for (const item of value) if (isRecord(item) && segment in item) next.push(item[segment]);
      } else if (isRecord(value) && segment in value) {
        next.push(value[segment]);
      }
    }
    current = next;
    if (current.length === 0) return current;
  }
  // A path ending on an array of primitives fans out as well (tags: ["a","b"]).
  return current.flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : [v]));
}
