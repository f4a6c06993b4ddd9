import type { LedgerSend } from './frequency-cap';
import { checkOverlap } from './overlap';

const H = 3_600_000;
const now = new Date('2026-06-10T12:00:00Z');
const sent = (definitionId: string, priority: number, msAgo: number): LedgerSend => ({
  definitionId,
  priority,
  category: 'marketing',
  status: 'sent',
  at: new Date(now.getTime() - msAgo),
});

describe(checkOverlap.name, () => {
  const reEngagement = { definitionId: 're_engagement', priority: 20 };

  it('suppresses a lower-priority campaign after a higher one in the window, with the reason', () => {
    const verdict = checkOverlap(
      reEngagement,
      [sent('abandoned_cart', 50, 30 * 60_000)],
      [],
      now,
      H,
    );
    expect(verdict).toMatchObject({ action: 'suppress' });
    expect(verdict.action === 'suppress' && verdict.reason).toMatch(
      /overlap: abandoned_cart \(priority 50\)/,
    );
  });

  it('lets the higher-priority campaign through after a lower one, and anything after the window', () => {
    expect(
      checkOverlap(
        { definitionId: 'abandoned_cart', priority: 50 },
        [sent('re_engagement', 20, 10 * 60_000)],
        [],
        now,
        H,
      ),
    ).toEqual({ action: 'fire' });
    expect(checkOverlap(reEngagement, [sent('abandoned_cart', 50, 2 * H)], [], now, H)).toEqual({
      action: 'fire',
    });
  });

  it('waits for a higher-priority campaign due within the window', () => {
    const due = new Date(now.getTime() + 20 * 60_000);
    expect(
      checkOverlap(
        reEngagement,
        [],
        [{ definitionId: 'birthday', priority: 40, dueAt: due }],
        now,
        H,
      ),
    ).toMatchObject({
      action: 'defer',
      until: new Date(due.getTime() + 60_000),
    });
    expect(
      checkOverlap(
        reEngagement,
        [],
        [{ definitionId: 'birthday', priority: 40, dueAt: new Date(now.getTime() + 2 * H) }],
        now,
        H,
      ),
    ).toEqual({ action: 'fire' });
    expect(
      checkOverlap(
        reEngagement,
        [],
        [{ definitionId: 'dormant', priority: 10, dueAt: due }],
        now,
        H,
      ),
    ).toEqual({ action: 'fire' });
  });
});
