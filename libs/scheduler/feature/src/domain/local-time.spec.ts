import {
  localParts,
  offsetMs,
  parseClockTime,
  resolveTimeZone,
  zonedTimeToUtc,
} from './local-time';

describe(zonedTimeToUtc.name, () => {
  it('converts 09:00 in summer and winter Berlin', () => {
    expect(
      zonedTimeToUtc(
        { year: 2026, month: 7, day: 1, hour: 9, minute: 0 },
        'Europe/Berlin',
      ).toISOString(),
    ).toBe('2026-07-01T07:00:00.000Z');
    expect(
      zonedTimeToUtc(
        { year: 2026, month: 1, day: 1, hour: 9, minute: 0 },
        'Europe/Berlin',
      ).toISOString(),
    ).toBe('2026-01-01T08:00:00.000Z');
  });

  it('moves a time skipped by spring-forward to just after the gap', () => {
    // Berlin 2026-03-29: 02:00 CET → 03:00 CEST; 02:30 does not exist.
    expect(
      zonedTimeToUtc(
        { year: 2026, month: 3, day: 29, hour: 2, minute: 30 },
        'Europe/Berlin',
      ).toISOString(),
    ).toBe('2026-03-29T01:30:00.000Z');
  });

  it('takes the earlier of a time that occurs twice at fall-back', () => {
    // Berlin 2026-10-25: 03:00 CEST → 02:00 CET; 02:30 happens at 00:30Z and 01:30Z.
    expect(
      zonedTimeToUtc(
        { year: 2026, month: 10, day: 25, hour: 2, minute: 30 },
        'Europe/Berlin',
      ).toISOString(),
    ).toBe('2026-10-25T00:30:00.000Z');
  });

  it('handles half-hour zones and day overflow', () => {
    expect(
      zonedTimeToUtc(
        { year: 2026, month: 1, day: 1, hour: 9, minute: 0 },
        'Asia/Kolkata',
      ).toISOString(),
    ).toBe('2026-01-01T03:30:00.000Z');
    expect(
      zonedTimeToUtc({ year: 2026, month: 12, day: 32, hour: 9, minute: 0 }, 'UTC').toISOString(),
    ).toBe('2027-01-01T09:00:00.000Z');
  });
});

describe(localParts.name, () => {
  it('reads the wall clock in a zone', () => {
    expect(localParts(new Date('2026-03-08T13:00:00Z'), 'America/New_York')).toEqual({
      year: 2026,
      month: 3,
      day: 8,
      hour: 9,
      minute: 0,
      second: 0,
    });
    expect(offsetMs(new Date('2026-07-01T00:00:00Z'), 'Europe/Berlin')).toBe(7_200_000);
  });
});

describe(resolveTimeZone.name, () => {
  it('falls back for missing or unknown zones', () => {
    expect(resolveTimeZone('Europe/Berlin', 'UTC')).toBe('Europe/Berlin');
    expect(resolveTimeZone('Mars/Olympus', 'UTC')).toBe('UTC');
    expect(resolveTimeZone(null, 'UTC')).toBe('UTC');
  });
});

describe(parseClockTime.name, () => {
  it('parses HH:MM', () => {
    expect(parseClockTime('09:00')).toBe(540);
    expect(parseClockTime('24:00')).toBeUndefined();
  });
});
