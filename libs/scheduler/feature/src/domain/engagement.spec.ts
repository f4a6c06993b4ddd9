import { recordVisit, visitsInWindow, wantsReEngagement, welcomeOfferValid } from './engagement';

const H = 3_600_000;
const D = 24 * H;
const t0 = new Date('2026-06-01T10:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const w = { windowMs: 7 * D, sessionGapMs: 30 * 60_000 };

describe(recordVisit.name, () => {
  it('counts page events apart by the session gap as visits, and forgets visits older than the window', () => {
    let visits: Date[] = [];
    visits = recordVisit(visits, at(0), at(0), w);
    visits = recordVisit(visits, at(5 * 60_000), at(5 * 60_000), w);
    expect(visits).toHaveLength(1);
    visits = recordVisit(visits, at(2 * D), at(2 * D), w);
    visits = recordVisit(visits, at(8 * D), at(8 * D), w);
    expect(visits).toEqual([at(2 * D), at(8 * D)]);
    expect(visitsInWindow(visits, at(8 * D), 7 * D)).toBe(2);
  });
});

describe(wantsReEngagement.name, () => {
  const visits = [at(0), at(D), at(2 * D)];

  it('wants three visits in seven days without a purchase', () => {
    expect(wantsReEngagement(visits, null, at(2 * D), 3, 7 * D)).toBe(true);
    expect(wantsReEngagement(visits.slice(1), null, at(2 * D), 3, 7 * D)).toBe(false);
    expect(wantsReEngagement(visits, at(D + H), at(2 * D), 3, 7 * D)).toBe(false);
    expect(wantsReEngagement(visits, at(-8 * D), at(2 * D), 3, 7 * D)).toBe(true);
  });
});

describe(welcomeOfferValid.name, () => {
  it('is valid for subscribers of the last 30 days', () => {
    expect(welcomeOfferValid(at(0), at(29 * D), 30)).toBe(true);
    expect(welcomeOfferValid(at(0), at(31 * D), 30)).toBe(false);
    expect(welcomeOfferValid(null, at(0), 30)).toBe(false);
  });
});
