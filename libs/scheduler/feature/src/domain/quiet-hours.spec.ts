import { isQuietMinute, nextAllowedMoment, parseQuietHours } from './quiet-hours';

const q = { startMinute: 21 * 60, endMinute: 8 * 60 };

describe(nextAllowedMoment.name, () => {
  it('defers an evening send to 08:00 the next local morning', () => {
    // 22:00 in Berlin (CEST) → 08:00 next day = 06:00Z.
    expect(
      nextAllowedMoment(new Date('2026-06-01T20:00:00Z'), 'Europe/Berlin', q).toISOString(),
    ).toBe('2026-06-02T06:00:00.000Z');
  });

  it('defers an early-morning send to 08:00 the same local day', () => {
    expect(
      nextAllowedMoment(new Date('2026-06-02T01:00:00Z'), 'Europe/Berlin', q).toISOString(),
    ).toBe('2026-06-02T06:00:00.000Z');
  });

  it('uses the person’s zone, not UTC', () => {
    // 12:00Z is 21:00 in Tokyo: quiet there → 08:00 Tokyo = 23:00Z.
    expect(nextAllowedMoment(new Date('2026-06-02T12:00:00Z'), 'Asia/Tokyo', q).toISOString()).toBe(
      '2026-06-02T23:00:00.000Z',
    );
  });

  it('lets an allowed moment through and crosses a DST change correctly', () => {
    const noon = new Date('2026-06-02T10:00:00Z');
    expect(nextAllowedMoment(noon, 'Europe/Berlin', q)).toBe(noon);
    expect(nextAllowedMoment(noon, 'Europe/Berlin', null)).toBe(noon);
    // 2026-03-28 22:00 CET; the night has the spring-forward; 08:00 CEST = 06:00Z.
    expect(
      nextAllowedMoment(new Date('2026-03-28T21:00:00Z'), 'Europe/Berlin', q).toISOString(),
    ).toBe('2026-03-29T06:00:00.000Z');
  });
});

describe(parseQuietHours.name, () => {
  it('parses a range or off', () => {
    expect(parseQuietHours('21:00-08:00')).toEqual(q);
    expect(parseQuietHours('off')).toBeNull();
    expect(parseQuietHours('21-8')).toBeUndefined();
  });

  it('handles periods that do not wrap midnight', () => {
    const lunch = { startMinute: 12 * 60, endMinute: 13 * 60 };
    expect(isQuietMinute(12 * 60 + 30, lunch)).toBe(true);
    expect(isQuietMinute(13 * 60, lunch)).toBe(false);
    expect(isQuietMinute(7 * 60 + 59, q)).toBe(true);
    expect(isQuietMinute(8 * 60, q)).toBe(false);
  });
});
