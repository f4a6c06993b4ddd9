import type { ComputedTraits } from './traits-reducer';

/**
 * A segment is a pure predicate over computed traits. The built-in ones live here; later,
 * marketer-defined segments (stored definitions) compile to the same shape.
 */
export interface SegmentRule {
  readonly id: string;
  readonly description: string;
  matches(traits: ComputedTraits): boolean;
}

export const hasOpenCart: SegmentRule = {
  id: 'has-open-cart',
  description: 'The cart has at least one line (abandoned-cart candidates)',
  matches: (traits) => traits.cart.length > 0,
};

export const repeatBuyer: SegmentRule = {
  id: 'repeat-buyer',
  description: 'Completed at least two orders',
  matches: (traits) => traits.orderCount >= 2,
};

export const BUILT_IN_SEGMENTS: readonly SegmentRule[] = [hasOpenCart, repeatBuyer];

/** The ids of the segments the traits belong to, sorted. */
export function evaluateSegments(
  traits: ComputedTraits,
  rules: readonly SegmentRule[] = BUILT_IN_SEGMENTS,
): string[] {
  return rules
    .filter((rule) => rule.matches(traits))
    .map((rule) => rule.id)
    .sort();
}

export interface MembershipDiff {
  entered: string[];
  exited: string[];
}

/**
 * What changed between the memberships a profile has and the ones it should have. Only actual
 * changes are listed, so staying in a segment emits nothing (entered is announced exactly once).
 */
export function diffMemberships(
  current: Iterable<string>,
  target: Iterable<string>,
): MembershipDiff {
  const now = new Set(current);
  const next = new Set(target);
  return {
    entered: [...next].filter((id) => !now.has(id)).sort(),
    exited: [...now].filter((id) => !next.has(id)).sort(),
  };
}
