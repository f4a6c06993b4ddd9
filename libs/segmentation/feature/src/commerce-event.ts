import type { ResolvedEvent } from '@kairos/contracts';

/**
 * The Segment e-commerce event names segmentation reacts to (Segment spec "E-Commerce Events").
 * Names are matched exactly, as the spec spells them; anything else only bumps the counters.
 */
export const CommerceEvents = {
  ProductAdded: 'Product Added',
  ProductRemoved: 'Product Removed',
  OrderCompleted: 'Order Completed',
} as const;

/** The part of a resolved event the trait reducer reads. */
export type TraitEvent = Pick<ResolvedEvent, 'type' | 'event' | 'properties' | 'timestamp'>;

/**
 * Segment's product id: `product_id`, falling back to `productId` and `sku`, as a string or a
 * number (the same precedence the trigger scheduler uses, so both services see the same cart).
 */
export function productIdOf(properties: Record<string, unknown>): string | undefined {
  for (const value of [properties.product_id, properties.productId, properties.sku]) {
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return undefined;
}

/** A finite number from a number or a numeric string (upstream systems send both), else undefined. */
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
