import { UNKNOWN_OUTCOME_REASON, decideClaim } from './delivery-claim';

describe(decideClaim.name, () => {
  it('sends a new delivery', () => {
    expect(decideClaim(undefined)).toEqual({ action: 'send' });
  });

  it.each(['sent', 'held'] as const)('treats a %s delivery as a duplicate', (status) => {
    expect(decideClaim({ status, retriable: false })).toEqual({ action: 'duplicate' });
  });

  it('re-claims a failure that sent nothing', () => {
    expect(decideClaim({ status: 'failed', retriable: true })).toEqual({ action: 'send' });
  });

  it('does not retry a permanent failure', () => {
    expect(decideClaim({ status: 'failed', retriable: false })).toEqual({ action: 'duplicate' });
  });

  it('holds a delivery an earlier attempt left in flight', () => {
    expect(decideClaim({ status: 'sending', retriable: false })).toEqual({
      action: 'hold',
      reason: UNKNOWN_OUTCOME_REASON,
    });
  });
});
