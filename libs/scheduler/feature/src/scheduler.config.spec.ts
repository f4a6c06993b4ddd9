import { loadSchedulerConfig } from './scheduler.config';

describe(loadSchedulerConfig.name, () => {
  it('defaults: 4 h cart delay, 1 s poll, 60 s lease, 3 per 7 days, quiet 21–08, 1 h overlap, STO ≤ 24 h', () => {
    expect(loadSchedulerConfig({})).toEqual({
      abandonedCartDelayMs: 14_400_000,
      pollIntervalMs: 1000,
      fireBatchSize: 500,
      leaseMs: 60_000,
      cap: { max: 3, windowMs: 604_800_000 },
      quietHours: { startMinute: 1260, endMinute: 480 },
      overlapWindowMs: 3_600_000,
      sto: { maxDelayMs: 86_400_000, minOpens: 3, priorStrength: 5, minLift: 0.1 },
      defaultTimeZone: 'UTC',
    });
  });

  it('reads overrides', () => {
    expect(
      loadSchedulerConfig({
        KAIROS_ABANDONED_CART_DELAY_MS: '60000',
        KAIROS_SCHEDULER_POLL_MS: '50',
        KAIROS_QUIET_HOURS: 'off',
        KAIROS_CAP_MARKETING_MAX: '5',
        KAIROS_DEFAULT_TIMEZONE: 'Europe/Berlin',
      }),
    ).toMatchObject({
      abandonedCartDelayMs: 60_000,
      pollIntervalMs: 50,
      quietHours: null,
      cap: { max: 5 },
      defaultTimeZone: 'Europe/Berlin',
    });
  });

  it('names a bad variable', () => {
    expect(() => loadSchedulerConfig({ KAIROS_SCHEDULER_POLL_MS: 'soon' })).toThrow(
      /KAIROS_SCHEDULER_POLL_MS/,
    );
    expect(() => loadSchedulerConfig({ KAIROS_QUIET_HOURS: '9pm-8am' })).toThrow(
      /KAIROS_QUIET_HOURS/,
    );
    expect(() => loadSchedulerConfig({ KAIROS_DEFAULT_TIMEZONE: 'Mars/Base' })).toThrow(
      /KAIROS_DEFAULT_TIMEZONE/,
    );
  });
});
