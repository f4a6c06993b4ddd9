import { birthdayIdempotencyKey, nextBirthday, parseBirthday } from './birthday';

const NINE = 9 * 60;
const at = (iso: string) => new Date(iso);

describe(nextBirthday.name, () => {
  const april12 = { month: 4, day: 12 };

  it('is 09:00 local in three time zones', () => {
    const now = at('2026-01-01T00:00:00Z');
    expect(nextBirthday(april12, 'Europe/Berlin', now, NINE)).toEqual({
      year: 2026,
      at: at('2026-04-12T07:00:00Z'),
    });
    expect(nextBirthday(april12, 'America/Los_Angeles', now, NINE)).toEqual({
      year: 2026,
      at: at('2026-04-12T16:00:00Z'),
    });
    expect(nextBirthday(april12, 'Asia/Tokyo', now, NINE)).toEqual({
      year: 2026,
      at: at('2026-04-12T00:00:00Z'),
    });
  });

  it('is 09:00 local on the day daylight saving starts or ends', () => {
    const now = at('2026-01-01T00:00:00Z');
    // New York springs forward at 02:00 on 2026-03-08: 09:00 is EDT (UTC−4).
    expect(nextBirthday({ month: 3, day: 8 }, 'America/New_York', now, NINE).at).toEqual(
      at('2026-03-08T13:00:00Z'),
    );
    // Berlin falls back at 03:00 on 2026-10-25: 09:00 is CET (UTC+1).
    expect(nextBirthday({ month: 10, day: 25 }, 'Europe/Berlin', now, NINE).at).toEqual(
      at('2026-10-25T08:00:00Z'),
    );
    // Sydney (southern hemisphere) is on daylight time in January: UTC+11, the day before in UTC.
    expect(nextBirthday({ month: 1, day: 15 }, 'Australia/Sydney', now, NINE).at).toEqual(
      at('2026-01-14T22:00:00Z'),
    );
  });

  it('celebrates 29 February on 28 February in non-leap years and on the 29th in leap years', () => {
    const feb29 = { month: 2, day: 29 };
    expect(nextBirthday(feb29, 'Europe/Berlin', at('2026-01-01T00:00:00Z'), NINE)).toEqual({
      year: 2026,
      at: at('2026-02-28T08:00:00Z'),
    });
    expect(nextBirthday(feb29, 'Europe/Berlin', at('2027-03-01T00:00:00Z'), NINE)).toEqual({
      year: 2028,
      at: at('2028-02-29T08:00:00Z'),
    });
  });

  it('is once per year: a year already sent is skipped', () => {
    const now = at('2026-01-01T00:00:00Z');
    expect(nextBirthday(april12, 'UTC', now, NINE, new Set([2026]))).toEqual({
      year: 2027,
      at: at('2027-04-12T09:00:00Z'),
    });
  });

  it('is due now when it is the birthday and 09:00 has passed, next year once the day is over', () => {
    expect(nextBirthday(april12, 'Europe/Berlin', at('2026-04-12T12:00:00Z'), NINE)).toEqual({
      year: 2026,
      at: at('2026-04-12T12:00:00Z'),
    });
    expect(nextBirthday(april12, 'Europe/Berlin', at('2026-04-12T22:30:00Z'), NINE)).toEqual({
      year: 2027,
      at: at('2027-04-12T07:00:00Z'),
    });
  });
});

describe(parseBirthday.name, () => {
  it('accepts real dates only', () => {
    expect(parseBirthday('1990-04-12')).toEqual({ month: 4, day: 12 });
    expect(parseBirthday('2000-02-29')).toEqual({ month: 2, day: 29 });
    expect(parseBirthday('2001-02-29')).toBeUndefined();
    expect(parseBirthday('12.04.1990')).toBeUndefined();
    expect(parseBirthday(null)).toBeUndefined();
  });

  it('keys a birthday send by person and year', () => {
    expect(birthdayIdempotencyKey('p1', 2026)).toBe('birthday:p1:2026');
  });
});
