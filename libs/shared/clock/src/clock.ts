/**
 * Time is injected everywhere it matters (timers, windows, quiet hours), so tests and the demo
 * can move it. Production uses {@link SystemClock}.
 */
export interface Clock {
  now(): Date;
}

/** Nest injection token for the Clock. */
export const CLOCK = Symbol('kairos.clock');

export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/**
 * A clock that only moves when told to. It starts at `start` and advances by
 * {@link ControllableClock.advance} or jumps by {@link ControllableClock.set}; it never goes
 * backwards, because timers and windows assume monotonic time.
 */
export class ControllableClock implements Clock {
  private current: number;

  constructor(start: Date = new Date()) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`advance(ms) needs a finite, non-negative number of ms, got ${ms}`);
    }
    this.current += ms;
    return this.now();
  }

  set(to: Date): Date {
    const t = to.getTime();
    if (Number.isNaN(t)) throw new RangeError('set(to) needs a valid Date');
    if (t < this.current) {
      throw new RangeError(
        `the clock cannot go backwards (now ${this.now().toISOString()}, asked ${to.toISOString()})`,
      );
    }
    this.current = t;
    return this.now();
  }
}
