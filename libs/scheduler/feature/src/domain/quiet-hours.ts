import {
  formatClockTime,
  localParts,
  parseClockTime,
  zonedTimeToUtc,
  type LocalDateTime,
} from './local-time';

/** A daily quiet period in local time, [start, end) in minutes after midnight; may wrap midnight. */
export interface QuietHours {
  startMinute: number;
  endMinute: number;
}

/** 'HH:MM-HH:MM' (e.g. '21:00-08:00') or 'off'; undefined when malformed. */
export function parseQuietHours(text: string): QuietHours | null | undefined {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'off' || trimmed === 'none') return null;
  const [start, end, ...rest] = trimmed.split('-');
  if (rest.length > 0 || start === undefined || end === undefined) return undefined;
  const startMinute = parseClockTime(start);
  const endMinute = parseClockTime(end);
  if (startMinute === undefined || endMinute === undefined || startMinute === endMinute)
    return undefined;
  return { startMinute, endMinute };
}

export function describeQuietHours(q: QuietHours): string {
  return `${formatClockTime(q.startMinute)}–${formatClockTime(q.endMinute)}`;
}

/** Whether a local minute of the day falls in the quiet period. */
export function isQuietMinute(minuteOfDay: number, q: QuietHours): boolean {
  return q.startMinute < q.endMinute
    ? minuteOfDay >= q.startMinute && minuteOfDay < q.endMinute
    : minuteOfDay >= q.startMinute || minuteOfDay < q.endMinute;
}

export function isQuiet(instant: Date, timeZone: string, q: QuietHours | null): boolean {
  if (!q) return false;
  const p = localParts(instant, timeZone);
  return isQuietMinute(p.hour * 60 + p.minute, q);
}

/**
 * The first moment at or after `now` outside the quiet period, in the person's zone: `now`
 * itself when it is not quiet, else the period's end (today's, or tomorrow's when the period
 * started this evening). Never drops a send, only moves it.
 */
export function nextAllowedMoment(now: Date, timeZone: string, q: QuietHours | null): Date {
  if (!q || !isQuiet(now, timeZone, q)) return now;
  const p = localParts(now, timeZone);
  const minute = p.hour * 60 + p.minute;
  const wrapsAndEvening = q.startMinute > q.endMinute && minute >= q.startMinute;
  const end: LocalDateTime = {
    year: p.year,
    month: p.month,
    day: p.day + (wrapsAndEvening ? 1 : 0),
    hour: Math.floor(q.endMinute / 60),
    minute: q.endMinute % 60,
  };
  const at = zonedTimeToUtc(end, timeZone);
  // A DST gap could put the end at or before now; then one more day is always past it.
  return at.getTime() > now.getTime() ? at : zonedTimeToUtc({ ...end, day: end.day + 1 }, timeZone);
}
