import { ControllableClock, SystemClock } from './clock';

describe(ControllableClock.name, () => {
  it('only moves when told to', () => {
    const clock = new ControllableClock(new Date('2026-01-01T00:00:00Z'));
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
    clock.advance(4 * 3600_000);
    expect(clock.now().toISOString()).toBe('2026-01-01T04:00:00.000Z');
    clock.set(new Date('2026-02-01T00:00:00Z'));
    expect(clock.now().toISOString()).toBe('2026-02-01T00:00:00.000Z');
  });

  it('refuses to go backwards or advance by nonsense', () => {
    const clock = new ControllableClock(new Date('2026-01-01T00:00:00Z'));
    expect(() => clock.set(new Date('2025-12-31T00:00:00Z'))).toThrow(/backwards/);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
  });
});

describe(SystemClock.name, () => {
  it('tells the real time', () => {
    const before = Date.now();
    const t = new SystemClock().now().getTime();
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Date.now());
  });
});
