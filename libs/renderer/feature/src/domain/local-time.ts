/** Parts of the day a greeting follows, in the recipient's own time zone. */
export type TimeOfDay = 'morning' | 'afternoon' | 'evening' | 'night';

const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATTERS = 1_000;

/**
 * The hour (0–23) at `now` in an IANA time zone; UTC when the zone is missing or unknown
 * (a stored zone is only as good as what upstream sent). Formatters are cached per zone:
 * building one costs far more than a render.
 */
export function localHour(now: Date, timezone: string | undefined): { hour: number; zone: string } {
  const zone = timezone && timezone.trim() !== '' ? timezone : 'UTC';
  let formatter = formatters.get(zone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hour: 'numeric',
        hourCycle: 'h23',
      });
    } catch {
      return zone === 'UTC' ? { hour: now.getUTCHours(), zone } : localHour(now, 'UTC');
    }
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    formatters.set(zone, formatter);
  }
  const hour = Number(formatter.formatToParts(now).find((p) => p.type === 'hour')?.value);
  return { hour: Number.isFinite(hour) ? hour % 24 : now.getUTCHours(), zone };
}

/** 05–11 morning, 12–16 afternoon, 17–21 evening, 22–04 night. */
export function timeOfDay(hour: number): TimeOfDay {
  if (hour >= 5 && hour < 12) return 'morning';
  if (hour >= 12 && hour < 17) return 'afternoon';
  if (hour >= 17 && hour < 22) return 'evening';
  return 'night';
}

/** The salutation for a time of day; at night "Hello" (nobody says "good night" to open). */
export function greetingFor(part: TimeOfDay): string {
  switch (part) {
    case 'morning':
      return 'Good morning';
    case 'afternoon':
      return 'Good afternoon';
    case 'evening':
      return 'Good evening';
    case 'night':
      return 'Hello';
  }
}
