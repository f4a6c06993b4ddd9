import { counterId } from './event-counters';
import { requirements } from './requirements';

describe(requirements.name, () => {
  it('lists facts, counters (longest window), windows and segment references', () => {
    const where = [{ property: 'products.category', op: 'eq' as const, value: 'Outdoor' }];
    const r = requirements({
      id: 's',
      name: 'S',
      rules: {
        and: [
          {
            performed: {
              event: 'Order Completed',
              where,
              withinDays: 30,
              count: { op: 'gte', value: 3 },
            },
          },
          { not: { performed: { event: 'Order Completed', where, withinDays: 90 } } },
          { field: 'traits.lastOpenAt', op: 'daysAgo', value: { op: 'lte', days: 7 } },
          { field: 'traits.categoryAffinity.Outdoor', op: 'gt', value: 1 },
          { or: [{ inSegment: 'b' }, { consent: 'subscribed' }] },
        ],
      },
    });
    const id = counterId('Order Completed', where);
    expect(r.counters).toEqual([{ id, event: 'Order Completed', where, retentionDays: 90 }]);
    expect(r.counterWindows).toEqual([
      { counterId: id, withinDays: 30 },
      { counterId: id, withinDays: 90 },
    ]);
    expect(r.facts).toEqual(
      [
        '$today',
        `count:${id}:30`,
        `count:${id}:90`,
        'profile.emailConsent',
        'traits.categoryAffinity',
        'traits.lastOpenAt',
      ].sort(),
    );
    expect(r.segments).toEqual(['b']);
  });

  it('gives the same counter id for the same filters in any order', () => {
    const a = { property: 'a', op: 'eq' as const, value: 1 };
    const b = { property: 'b', op: 'exists' as const };
    expect(counterId('X', [a, b])).toBe(counterId('X', [b, a]));
    expect(counterId('X', [a])).not.toBe(counterId('Y', [a]));
  });
});
