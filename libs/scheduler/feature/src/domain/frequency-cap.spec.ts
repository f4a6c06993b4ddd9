import { checkFrequencyCap, type LedgerSend } from './frequency-cap';

const D = 86_400_000;
const now = new Date('2026-06-10T12:00:00Z');
const send = (daysAgo: number, over: Partial<LedgerSend> = {}): LedgerSend => ({
  definitionId: 'x',
  category: 'marketing',
  priority: 10,
  at: new Date(now.getTime() - daysAgo * D),
  status: 'sent',
  ...over,
});
const cap = { max: 3, windowMs: 7 * D };

describe(checkFrequencyCap.name, () => {
  it('allows the third and suppresses the fourth marketing email in 7 days', () => {
    expect(checkFrequencyCap('marketing', [send(1), send(2)], now, cap)).toEqual({ allowed: true });
    expect(checkFrequencyCap('marketing', [send(1), send(2), send(3)], now, cap)).toEqual({
      allowed: false,
      reason: 'frequency cap: 3 marketing email(s) in the last 7 day(s) (max 3)',
    });
  });

  it('is a rolling window, counts in-flight requests, and ignores what did not reach the person', () => {
    expect(checkFrequencyCap('marketing', [send(1), send(2), send(8)], now, cap).allowed).toBe(
      true,
    );
    expect(
      checkFrequencyCap('marketing', [send(1), send(2), send(0, { status: 'requested' })], now, cap)
        .allowed,
    ).toBe(false);
    expect(
      checkFrequencyCap('marketing', [send(1), send(2), send(0, { status: 'failed' })], now, cap)
        .allowed,
    ).toBe(true);
  });

  it('exempts transactional mail, which also does not count', () => {
    expect(checkFrequencyCap('transactional', [send(1), send(2), send(3)], now, cap).allowed).toBe(
      true,
    );
    expect(
      checkFrequencyCap(
        'marketing',
        [send(1), send(2), send(3, { category: 'transactional' })],
        now,
        cap,
      ).allowed,
    ).toBe(true);
  });
});
