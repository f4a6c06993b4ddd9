import { greetingFor, localHour, timeOfDay } from './local-time';

describe(localHour.name, () => {
  const at = new Date('2030-01-15T06:30:00Z');
  it('reads the hour in the recipient zone', () => {
    expect(localHour(at, 'Europe/Berlin')).toEqual({ hour: 7, zone: 'Europe/Berlin' });
    expect(localHour(at, 'America/Los_Angeles').hour).toBe(22);
    expect(localHour(at, 'Asia/Kolkata').hour).toBe(12);
  });
  it('falls back to UTC for a missing or unknown zone', () => {
    expect(localHour(at, undefined)).toEqual({ hour: 6, zone: 'UTC' });
    expect(localHour(at, 'Mars/Olympus')).toEqual({ hour: 6, zone: 'UTC' });
  });
});

describe(timeOfDay.name, () => {
  it('splits the day, and greets accordingly', () => {
    expect([4, 5, 11, 12, 16, 17, 21, 22].map(timeOfDay)).toEqual([
      'night',
      'morning',
      'morning',
      'afternoon',
      'afternoon',
      'evening',
      'evening',
      'night',
    ]);
    expect(greetingFor('morning')).toBe('Good morning');
    expect(greetingFor('evening')).toBe('Good evening');
    expect(greetingFor('night')).toBe('Hello');
  });
});
