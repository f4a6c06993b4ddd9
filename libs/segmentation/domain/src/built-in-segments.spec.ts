import { BUILT_IN_SEGMENT_DEFINITIONS } from './built-in-segments';
import { applyEvent, emptyTraits, type ComputedTraits, type TraitEvent } from './computed-traits';
import { rfmCutPoints } from './rfm';
import { compileSegments, type SegmentProgram } from './segment-program';
import { DAY_MS } from './time';
import { toFacts, type ProfileSnapshot } from './traits-facts';

const NOW = Date.UTC(2025, 6, 15, 12);
const ev = (
  event: string,
  daysAgo: number,
  properties: Record<string, unknown> = {},
): TraitEvent => ({
  type: 'track',
  event,
  properties,
  timestamp: new Date(NOW - daysAgo * DAY_MS).toISOString(),
});

function compiled(): SegmentProgram {
  const r = compileSegments(BUILT_IN_SEGMENT_DEFINITIONS);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

describe('BUILT_IN_SEGMENT_DEFINITIONS', () => {
  const program = compiled();
  const cuts = rfmCutPoints(
    Array.from({ length: 50 }, (_, i) => ({
      recencyDays: i * 4,
      frequency: 1 + (i % 5),
      monetary: 20 + i * 10,
    })),
  );
  const segmentsOf = (events: TraitEvent[], profile: ProfileSnapshot | null = null) => {
    const traits: ComputedTraits = events.reduce(
      (t, e) => applyEvent(t, e, NOW, { counters: program.counterPlan }),
      emptyTraits('p'),
    );
    const facts = toFacts(profile, traits, NOW, program.factsOptions({ rfmCutPoints: cuts }));
    const change = program.evaluateChange(null, facts, []);
    return { memberships: change.memberships, primary: change.primary };
  };

  it('all validate and compile', () => {
    expect(program.size).toBe(9);
    expect(program.counterRequirements.length).toBe(3);
  });

  it('repeat buyers vs occasional shoppers are exclusive', () => {
    expect(segmentsOf([ev('Order Completed', 5), ev('Order Completed', 40)]).memberships).toContain(
      'repeat-buyers',
    );
    const once = segmentsOf([ev('Order Completed', 5)]).memberships;
    expect(once).toContain('occasional-shoppers');
    expect(once).not.toContain('repeat-buyers');
  });

  it('high-engagement repeat buyers (> 3 purchases in 30 days, > 50 % opens) is the primary segment', () => {
    const events = [1, 3, 8, 20].map((d) => ev('Order Completed', d, { revenue: 50 }));
    events.push(
      ev('Email Delivered', 2),
      ev('Email Delivered', 4),
      ev('Email Opened', 2),
      ev('Email Opened', 4),
    );
    const r = segmentsOf(events, { emailConsent: 'subscribed' });
    expect(r.memberships).toEqual(
      expect.arrayContaining([
        'high-engagement-repeat-buyers',
        'repeat-buyers',
        'active-openers',
        'rfm-engaged-champions',
      ]),
    );
    expect(r.primary).toBe('high-engagement-repeat-buyers');
    // 3 purchases is not "more than 3".
    expect(segmentsOf(events.slice(1)).memberships).not.toContain('high-engagement-repeat-buyers');
  });

  it('active openers vs dormant contacts', () => {
    expect(segmentsOf([ev('Email Delivered', 3), ev('Email Opened', 3)]).memberships).toContain(
      'active-openers',
    );
    const dormant = segmentsOf([ev('Email Delivered', 100), ev('Product Viewed', 70)], {
      emailConsent: 'subscribed',
    });
    expect(dormant.memberships).toEqual(['dormant-contacts']);
    expect(
      segmentsOf([ev('Product Viewed', 70)], { emailConsent: 'unsubscribed' }).memberships,
    ).toEqual([]);
  });

  it('electronics enthusiasts vs fashion lovers by decayed affinity', () => {
    const views = (category: string, n: number) =>
      Array.from({ length: n }, (_, i) => ev('Product Viewed', i, { category }));
    expect(segmentsOf([...views('Electronics', 8), ...views('Fashion', 2)]).memberships).toEqual([
      'electronics-enthusiasts',
    ]);
    expect(segmentsOf([...views('Apparel', 8), ...views('Electronics', 2)]).memberships).toEqual([
      'fashion-lovers',
    ]);
    expect(segmentsOf(views('Electronics', 2)).memberships).toEqual([]);
  });

  it('25–34 who bought outdoor gear and engaged with summer-sale emails', () => {
    const events = [
      ev('Order Completed', 100, { products: [{ category: 'Outdoor' }, { category: 'Kitchen' }] }),
      ev('Email Opened', 3, { campaign_name: 'Summer Sale 2025 – last chance' }),
    ];
    expect(segmentsOf(events, { birthday: '1995-03-01' }).memberships).toContain(
      'young-outdoor-summer-engaged',
    );
    expect(segmentsOf(events, { birthday: '1985-03-01' }).memberships).not.toContain(
      'young-outdoor-summer-engaged',
    );
    expect(segmentsOf(events.slice(0, 1), { birthday: '1995-03-01' }).memberships).not.toContain(
      'young-outdoor-summer-engaged',
    );
  });
});
