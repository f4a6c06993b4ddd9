import { BUILT_IN_SEGMENT_DEFINITIONS, type SegmentDefinition } from '@kairos/segmentation/domain';

/**
 * The walking skeleton's two segments, now written in the segment language. `has-open-cart`
 * is what abandoned-cart triggers listen for, so it keeps its id and meaning exactly.
 */
export const SKELETON_SEGMENT_DEFINITIONS: readonly SegmentDefinition[] = [
  {
    id: 'has-open-cart',
    name: 'Has an open cart',
    description: 'The cart has at least one line (abandoned-cart candidates)',
    priority: 60,
    rules: { field: 'traits.cartItemCount', op: 'gt', value: 0 },
  },
  {
    id: 'repeat-buyer',
    name: 'Repeat buyer (lifetime)',
    description: 'Completed at least two orders, ever',
    priority: 45,
    rules: { field: 'traits.orderCount', op: 'gte', value: 2 },
  },
];

/**
 * What a fresh schema is seeded with (as ordinary, editable dynamic definitions): the
 * skeleton's segments and the domain's built-in templates. Seeding only inserts ids that do not
 * exist yet, so an edited or deleted built-in stays as the marketer left it.
 */
export const SEEDED_SEGMENT_DEFINITIONS: readonly SegmentDefinition[] = [
  ...SKELETON_SEGMENT_DEFINITIONS,
  ...BUILT_IN_SEGMENT_DEFINITIONS,
];
