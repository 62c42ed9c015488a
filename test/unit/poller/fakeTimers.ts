import type { PollTimers } from '../../../src/domain/poller';

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

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.time + Math.max(0, ms), seq: id, fn });
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

  private next(): [number, { at: number; seq: number; fn: () => void }] | undefined {
    let best: [number, { at: number; seq: number; fn: () => void }] | undefined;
    for (const entry of this.timers) {
      if (!best || entry[1].at < best[1].at || (entry[1].at === best[1].at && entry[1].seq < best[1].seq)) best = entry;
    }
    return best;
  }
}
