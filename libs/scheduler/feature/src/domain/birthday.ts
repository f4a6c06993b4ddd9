import { localParts, zonedTimeToUtc } from './local-time';

export interface MonthDay {
  month: number;
  day: number;
}

/** Month and day of a 'YYYY-MM-DD' birthday; undefined for anything that is not a real date. */
export function parseBirthday(text: string | null | undefined): MonthDay | undefined {
  if (!text) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return { month, day };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The day a birthday is celebrated in `year`: 29 February becomes 28 February in other years. */
export function birthdayInYear(birthday: MonthDay, year: number): MonthDay {
  if (birthday.month === 2 && birthday.day === 29 && !isLeapYear(year))
    return { month: 2, day: 28 };
  return birthday;
}

export interface BirthdayOccurrence {
  /** The calendar year of the birthday (the firing's idempotency key includes it). */
  year: number;
  /** When to send: `atMinute` local time on the birthday, or now if it is the birthday already. */
  at: Date;
}

/**
 * The next birthday send at or after `now`: `atMinute` (09:00 = 540) local time on the day,
 * computed as a UTC instant through the zone (so a DST change between now and then is already
 * accounted for). A year in `skipYears` (already sent) is passed over: once per year.
 *
 * If it is the birthday today in the person's zone and the send time has passed (the birthday
 * became known at 10:00, the scheduler was down), the send is due now rather than a year late.
 */
export function nextBirthday(
  birthday: MonthDay,
  timeZone: string,
  now: Date,
  atMinute: number,
  skipYears: ReadonlySet<number> = new Set(),
): BirthdayOccurrence {
  const today = localParts(now, timeZone);
  for (let year = today.year - 1; year <= today.year + 8; year++) {
    if (skipYears.has(year)) continue;
    const day = birthdayInYear(birthday, year);
    const at = zonedTimeToUtc(
      {
        year,
        month: day.month,
        day: day.day,
        hour: Math.floor(atMinute / 60),
        minute: atMinute % 60,
      },
      timeZone,
    );
    if (at.getTime() >= now.getTime()) return { year, at };
    const isToday = today.year === year && today.month === day.month && today.day === day.day;
    if (isToday) return { year, at: new Date(now.getTime()) };
  }
  throw new Error('no birthday occurrence within eight years (all skipped)');
}

/** Once per person and year, whatever re-arms or retries happen. */
export function birthdayIdempotencyKey(profileId: string, year: number): string {
  return `birthday:${profileId}:${year}`;
}
