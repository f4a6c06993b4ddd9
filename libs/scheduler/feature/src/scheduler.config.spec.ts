import { loadSchedulerConfig } from './scheduler.config';

describe(loadSchedulerConfig.name, () => {
  it('defaults to a 4 h abandoned-cart delay and a 1 s poll', () => {
    expect(loadSchedulerConfig({})).toEqual({
      abandonedCartDelayMs: 14_400_000,
      pollIntervalMs: 1000,
    });
  });

  it('reads overrides', () => {
    expect(
      loadSchedulerConfig({
        KAIROS_ABANDONED_CART_DELAY_MS: '60000',
        KAIROS_SCHEDULER_POLL_MS: '50',
      }),
    ).toEqual({
      abandonedCartDelayMs: 60_000,
      pollIntervalMs: 50,
    });
  });

  it('names a bad variable', () => {
    expect(() => loadSchedulerConfig({ KAIROS_SCHEDULER_POLL_MS: 'soon' })).toThrow(
      /KAIROS_SCHEDULER_POLL_MS/,
    );
  });
});
