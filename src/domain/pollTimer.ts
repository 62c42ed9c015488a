import { timerDelay } from './pollSchedule';

// The poller's timers. Every one of them is armed through arm(), so that no delay escapes
// timerDelay's bounds (setTimeout turns what it cannot hold into 1 ms: a request loop).

/** The clock and timers, injected so that tests and the bench never wait on real time. */
export interface PollTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock, for the extension. */
export const systemTimers: PollTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Arms a timer after `ms`, at least `floorMs`, at most an hour; returns it and the delay used. */
export function arm(timers: PollTimers, fn: () => void, ms: number, floorMs: number): { handle: unknown; delayMs: number } {
  const delayMs = timerDelay(ms, floorMs);
  return { handle: timers.setTimeout(fn, delayMs), delayMs };
}

/** The timer of the next tick: one at most, and when it is due. */
export class TickTimer {
  private handle: unknown;
  private due: number | undefined;
  private delayMs = 0;

  constructor(private readonly timers: PollTimers) {}

  /** When the armed tick is due (ms), or undefined when none is armed (or it is running). */
  get at(): number | undefined {
    return this.due;
  }

  /** The delay the last tick was armed with: the lease lasts a few of them. */
  get lastDelayMs(): number {
    return this.delayMs;
  }

  /** Arms `fn` in place of any armed tick; returns when it is due. */
  set(fn: () => void, ms: number, floorMs: number): number {
    this.clear();
    const armed = arm(
      this.timers,
      () => {
        this.handle = undefined;
        this.due = undefined;
        fn();
      },
      ms,
      floorMs,
    );
    this.handle = armed.handle;
    this.delayMs = armed.delayMs;
    this.due = this.timers.now() + armed.delayMs;
    return this.due;
  }

  clear(): void {
    if (this.handle !== undefined) this.timers.clearTimeout(this.handle);
    this.handle = undefined;
    this.due = undefined;
  }
}
