import type { SegmentDefinition } from './segment-definition';

/**
 * Built-in segment templates, written in the segment language itself (so they are validated,
 * compiled and evaluated exactly like marketer-defined segments). Pairs are mutually exclusive
 * where the wording says "vs": the second one refers to the first with `not inSegment`.
 * Priorities decide the primary segment: the most specific / valuable segment wins.
 */
export const BUILT_IN_SEGMENT_DEFINITIONS: readonly SegmentDefinition[] = [
  {
    id: 'repeat-buyers',
    name: 'Repeat buyers',
    description: 'Two or more orders in the last 90 days',
    priority: 50,
    rules: { field: 'traits.purchases90d', op: 'gte', value: 2 },
  },
  {
    id: 'occasional-shoppers',
    name: 'Occasional shoppers',
    description: 'Have ordered, but are not repeat buyers',
    priority: 20,
    rules: {
      and: [
        { field: 'traits.orderCount', op: 'gte', value: 1 },
        { not: { inSegment: 'repeat-buyers' } },
      ],
    },
  },
  {
    id: 'active-openers',
    name: 'Active openers',
    description:
      'Open at least 30 % of delivered emails (30 days) and opened one in the last 14 days',
    priority: 30,
    rules: {
      and: [
        { field: 'traits.openRate30d', op: 'gte', value: 0.3 },
        { field: 'traits.lastOpenAt', op: 'daysAgo', value: { op: 'lte', days: 14 } },
      ],
    },
  },
  {
    id: 'dormant-contacts',
    name: 'Dormant contacts',
    description: 'Subscribed, no email opened for 90 days and no activity for 60 days',
    priority: 10,
    rules: {
      and: [
        { consent: 'subscribed' },
        { not: { field: 'traits.lastOpenAt', op: 'daysAgo', value: { op: 'lte', days: 90 } } },
        { not: { field: 'traits.lastEventAt', op: 'daysAgo', value: { op: 'lte', days: 60 } } },
      ],
    },
  },
  {
    id: 'electronics-enthusiasts',
    name: 'Electronics enthusiasts',
    description: 'Electronics is the top category, with a decayed affinity of at least 5',
    priority: 40,
    rules: {
      and: [
        { field: 'traits.topCategory', op: 'eq', value: 'Electronics' },
        { field: 'traits.categoryAffinity.Electronics', op: 'gte', value: 5 },
      ],
    },
  },
  {
    id: 'fashion-lovers',
    name: 'Fashion lovers',
    description: 'Fashion/apparel is the top category, with a decayed affinity of at least 5',
    priority: 40,
    rules: {
      and: [
        { field: 'traits.topCategory', op: 'in', value: ['Fashion', 'Apparel', 'Clothing'] },
        {
          or: [
            { field: 'traits.categoryAffinity.Fashion', op: 'gte', value: 5 },
            { field: 'traits.categoryAffinity.Apparel', op: 'gte', value: 5 },
            { field: 'traits.categoryAffinity.Clothing', op: 'gte', value: 5 },
          ],
        },
      ],
    },
  },
  {
    id: 'high-engagement-repeat-buyers',
    name: 'High-engagement repeat buyers',
    description: 'More than 3 purchases in 30 days and an open rate above 50 %',
    priority: 90,
    rules: {
      and: [
        { field: 'traits.purchases30d', op: 'gt', value: 3 },
        { field: 'traits.openRate30d', op: 'gt', value: 0.5 },
      ],
    },
  },
  {
    id: 'young-outdoor-summer-engaged',
    name: '25–34, bought outdoor gear, engaged with summer-sale emails',
    description:
      'Age 25–34, an Outdoor order in the last year, opened or clicked a summer-sale email in 30 days',
    priority: 70,
    rules: {
      and: [
        { field: 'profile.age', op: 'between', value: [25, 34] },
        {
          performed: {
            event: 'Order Completed',
            where: [{ property: 'products.category', op: 'eq', value: 'Outdoor' }],
            withinDays: 365,
          },
        },
        {
          or: [
            {
              performed: {
                event: 'Email Opened',
                where: [{ property: 'campaign_name', op: 'contains', value: 'summer sale' }],
                withinDays: 30,
              },
            },
            {
              performed: {
                event: 'Email Link Clicked',
                where: [{ property: 'campaign_name', op: 'contains', value: 'summer sale' }],
                withinDays: 30,
              },
            },
          ],
        },
      ],
    },
  },
  {
    id: 'rfm-engaged-champions',
    name: 'RFM + engagement champions',
    description:
      'Weighted score 0.3·R + 0.3·F + 0.2·M + 0.2·(5 × open rate 30d) of at least 4 (out of 5)',
    priority: 80,
    rules: {
      score: {
        terms: [
          { field: 'traits.rfmR', weight: 0.3 },
          { field: 'traits.rfmF', weight: 0.3 },
          { field: 'traits.rfmM', weight: 0.2 },
          { field: 'traits.openRate30d', weight: 1 },
        ],
        op: 'gte',
        value: 4,
      },
    },
  },
];
