/**
 * Wall-clock time in a person's own time zone, with nothing but `Intl.DateTimeFormat`.
 *
 * Invariants: every function is pure; instants are UTC `Date`s; a local time is a wall-clock
 * reading (year, month 1–12, day, hour, minute) in an IANA zone. Converting a local time that a
 * daylight-saving change skips (spring forward) yields the instant the clocks read just after
 * the gap (02:30 → 03:30); one that occurs twice (fall back) yields the earlier instant.
 */

export interface LocalDateTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
}

export interface LocalParts extends LocalDateTime {
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string | null | undefined): timeZone is string {
  if (!timeZone) return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The person's zone if it is a valid one, else the fallback (a bad zone must not stop a send). */
export function resolveTimeZone(timeZone: string | null | undefined, fallback: string): string {
  return isValidTimeZone(timeZone) ? timeZone : fallback;
}

/** The wall-clock reading of `instant` in `timeZone`. */
export function localParts(instant: Date, timeZone: string): LocalParts {
  const out: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') out[part.type] = Number(part.value);
  }
  return {
    year: out.year,
    month: out.month,
    day: out.day,
    hour: out.hour === 24 ? 0 : out.hour,
    minute: out.minute,
    second: out.second,
  };
}

/** The zone's offset from UTC at `instant`, in ms (whole seconds; Berlin in summer = +7,200,000). */
export function offsetMs(instant: Date, timeZone: string): number {
  const p = localParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** Normalize an out-of-range wall-clock reading (day 32, hour 25) by calendar arithmetic. */
export function normalizeLocal(t: LocalDateTime): LocalDateTime {
  const d = new Date(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  };
}

function sameWallClock(instant: Date, t: LocalDateTime, timeZone: string): boolean {
  const p = localParts(instant, timeZone);
  return (
    p.year === t.year &&
    p.month === t.month &&
    p.day === t.day &&
    p.hour === t.hour &&
    p.minute === t.minute
  );
}

/**
 * The UTC instant at which clocks in `timeZone` read `local`. The offsets a day before and a day
 * after bracket any transition; each gives one candidate, and the candidates that really read
 * `local` are the answers (two on a fall-back hour: the earlier wins; none in a spring-forward
 * gap: the pre-transition offset, which lands just after the gap).
 */
export function zonedTimeToUtc(local: LocalDateTime, timeZone: string): Date {
  const t = normalizeLocal(local);
  const guess = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute);
  const DAY = 86_400_000;
  const before = guess - offsetMs(new Date(guess - DAY), timeZone);
  const after = guess - offsetMs(new Date(guess + DAY), timeZone);
  const valid = [before, after]
    .filter((c) => sameWallClock(new Date(c), t, timeZone))
    .sort((a, b) => a - b);
  if (valid.length > 0) return new Date(valid[0]);
  // Also try the offset at the guess itself (zones whose transitions are far from midnight).
  const mid = guess - offsetMs(new Date(guess), timeZone);
  if (sameWallClock(new Date(mid), t, timeZone)) return new Date(mid);
  return new Date(before);
}

/** Minute of the day (0–1439) of `instant` in `timeZone`. */
export function localMinuteOfDay(instant: Date, timeZone: string): number {
  const p = localParts(instant, timeZone);
  return p.hour * 60 + p.minute;
}

/** "HH:MM" → minutes after midnight; undefined when malformed. */
export function parseClockTime(text: string): number | undefined {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

export function formatClockTime(minuteOfDay: number): string {
  const h = Math.floor(minuteOfDay / 60);
  const m = minuteOfDay % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}
