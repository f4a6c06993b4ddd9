import { decideFiring, type FiringInput } from './firing-decision';
import { emptyHistogram } from './send-time';

const D = 86_400_000;
const noonBerlin = new Date('2026-06-10T10:00:00Z');
const base = (over: Partial<FiringInput> = {}): FiringInput => ({
  now: noonBerlin,
  definition: {
    id: 'abandoned_cart',
    enabled: true,
    category: 'marketing',
    priority: 50,
    urgent: true,
    quietHours: true,
  },
  stoApplied: false,
  profile: { emailPresent: true, emailConsent: 'subscribed' },
  timeZone: 'Europe/Berlin',
  ledger: [],
  upcoming: [],
  openHours: emptyHistogram(),
  populationOpenHours: emptyHistogram(),
  policy: {
    cap: { max: 3, windowMs: 7 * D },
    quietHours: { startMinute: 21 * 60, endMinute: 8 * 60 },
    overlapWindowMs: 3_600_000,
    sto: { maxDelayMs: D, minOpens: 3, priorStrength: 5, minLift: 0.1 },
  },
  ...over,
});
const marketing = (daysAgo: number) => ({
  definitionId: 'x',
  category: 'marketing' as const,
  priority: 1,
  status: 'sent' as const,
  at: new Date(noonBerlin.getTime() - daysAgo * D),
});

describe(decideFiring.name, () => {
  it('fires when every guard passes', () => {
    expect(decideFiring(base())).toEqual({ action: 'fire' });
  });

  it('suppresses a disabled trigger and a withdrawn consent', () => {
    expect(decideFiring(base({ definition: undefined }))).toMatchObject({
      action: 'suppress',
      reason: 'trigger disabled',
    });
    expect(
      decideFiring(base({ profile: { emailPresent: true, emailConsent: 'unsubscribed' } })),
    ).toMatchObject({ action: 'suppress', reason: 'unsubscribed from email' });
    expect(
      decideFiring(
        base({
          profile: { emailPresent: true, emailConsent: 'subscribed', bouncedAt: noonBerlin },
        }),
      ),
    ).toMatchObject({ action: 'suppress', reason: 'email address bounced' });
  });

  it('honours an unsubscribe event newer than the projected profile', () => {
    const profile = {
      emailPresent: true,
      emailConsent: 'subscribed' as const,
      updatedAt: new Date(noonBerlin.getTime() - D),
      consentEvent: { status: 'unsubscribed' as const, at: new Date(noonBerlin.getTime() - 1000) },
    };
    expect(decideFiring(base({ profile }))).toMatchObject({
      action: 'suppress',
      reason: 'unsubscribed from email',
    });
  });

  it('suppresses the fourth marketing email in the window but not a transactional one', () => {
    const ledger = [marketing(1), marketing(2), marketing(3)];
    expect(decideFiring(base({ ledger }))).toMatchObject({
      action: 'suppress',
      reason: expect.stringMatching(/^frequency cap/) as unknown,
    });
    const transactional = { ...base().definition!, category: 'transactional' as const };
    expect(decideFiring(base({ ledger, definition: transactional }))).toEqual({ action: 'fire' });
  });

  it('defers in quiet hours to 08:00 local, never drops', () => {
    const late = new Date('2026-06-10T20:30:00Z'); // 22:30 Berlin
    expect(decideFiring(base({ now: late }))).toEqual({
      action: 'defer',
      decision: 'deferred',
      until: new Date('2026-06-11T06:00:00Z'),
      reason: 'quiet hours 21:00–08:00 Europe/Berlin',
    });
  });

  it('moves a non-urgent send to the most likely open hour once, and not an urgent one', () => {
    const openHours = emptyHistogram();
    openHours[19] = 8;
    const nonUrgent = { ...base().definition!, id: 're_engagement', urgent: false, priority: 20 };
    expect(decideFiring(base({ definition: nonUrgent, openHours }))).toMatchObject({
      action: 'defer',
      decision: 'moved',
      until: new Date('2026-06-10T17:00:00Z'),
    });
    expect(decideFiring(base({ definition: nonUrgent, openHours, stoApplied: true }))).toEqual({
      action: 'fire',
    });
    expect(decideFiring(base({ openHours }))).toEqual({ action: 'fire' });
  });

  it('lets the higher-priority campaign win an overlap', () => {
    const ledger = [
      {
        definitionId: 'abandoned_cart',
        category: 'marketing' as const,
        priority: 50,
        status: 'requested' as const,
        at: new Date(noonBerlin.getTime() - 60_000),
      },
    ];
    const birthday = { ...base().definition!, id: 'birthday', priority: 40 };
    expect(decideFiring(base({ definition: birthday, ledger }))).toMatchObject({
      action: 'suppress',
      reason: expect.stringMatching(/^overlap/) as unknown,
    });
  });
});
