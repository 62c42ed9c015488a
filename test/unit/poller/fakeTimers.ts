import type { PollTimers } from '../../../src/domain/pollTimer';

/**
 * A clock and timers that only move when told to: the poller's schedule runs in simulated time,
 * and the emulator can share the clock through its `now` option.
 */
export class FakeTimers implements PollTimers {
  private time: number;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; seq: number; fn: () => void }>();

  constructor(start = Date.UTC(2026, 10, 2, 9, 0, 0)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  /** How many timers asked for a delay Node cannot represent (and so fired after 1 ms). */
  overflows = 0;

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.time + nodeDelay(ms, () => this.overflows++), seq: id, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** How many timers are waiting. */
  get pending(): number {
    return this.timers.size;
  }

  /** When the next timer fires, or undefined. */
  nextAt(): number | undefined {
    return this.next()?.[1].at;
  }

  /**
   * Moves the clock to the next timer and runs it. False when none is pending, or the next one is
   * after `until` (the clock then moves to `until`, when given).
   */
  fireNext(until = Infinity): boolean {
    const next = this.next();
    if (!next || next[1].at > until) {
      if (until !== Infinity) this.time = Math.max(this.time, until);
      return false;
    }
    const [id, timer] = next;
    this.timers.delete(id);
    this.time = Math.max(this.time, timer.at);
    timer.fn();
    return true;
  }

  /** Moves the clock without running anything (only allowed when no timer is due by then). */
  advance(ms: number): void {
    const due = this.nextAt();
    if (due !== undefined && due <= this.time + ms) throw new Error('FakeTimers.advance would skip a due timer: use fireNext');
    this.time += ms;
  }

  /**
   * The wall clock jumps (the user or NTP set it) by `deltaMs`, maybe backwards. Timers wait in
   * elapsed time, as Node's do: each still fires as long after now as it would have.
   */
  shiftWallClock(deltaMs: number): void {
    this.time += deltaMs;
    for (const timer of this.timers.values()) timer.at += deltaMs;
  }

  private next(): [number, { at: number; seq: number; fn: () => void }] | undefined {
    let best: [number, { at: number; seq: number; fn: () => void }] | undefined;
    for (const entry of this.timers) {
      if (!best || entry[1].at < best[1].at || (entry[1].at === best[1].at && entry[1].seq < best[1].seq)) best = entry;
    }
    return best;
  }
}

/** The longest delay Node's setTimeout honours (2^31 − 1 ms, about 24.8 days). */
export const NODE_TIMEOUT_MAX = 2 ** 31 - 1;

/**
 * The delay Node actually waits for `setTimeout(fn, ms)`: anything not in [1, 2^31 − 1] (NaN, zero,
 * negative, or too large) becomes 1 ms. Modelled here so that a poller asking for an absurd delay
 * spins in the tests as it would in the extension.
 */
function nodeDelay(ms: number, overflowed: () => void): number {
  if (ms >= 1 && ms <= NODE_TIMEOUT_MAX) return ms;
  if (ms > NODE_TIMEOUT_MAX) overflowed();
  return 1;
}
