/** A source of the current time in milliseconds since the epoch. Injected so tests control time. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to; for tests that run a 48-hour deadline in milliseconds. */
export class ManualClock implements Clock {
  #now: number;

  /** @param start - the starting time in milliseconds since the epoch (default: now). */
  constructor(start: number = Date.now()) {
    this.#now = start;
  }

  /** The current manual time in milliseconds since the epoch. */
  now(): number {
    return this.#now;
  }

  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('A clock only moves forward');
    this.#now += ms;
  }
}

/** Formats epoch milliseconds as an ISO-8601 timestamp. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
