import { clampServerDelay, type MessageBatch } from '../api';
import type { PollCoordinator, SharedSnapshot } from './pollCoordinator';
import type { PollTick } from './pollerTypes';
import { MAX_INTERVAL_MS, MIN_INTERVAL_SECONDS } from './pollSchedule';

// This window's side of the poll that windows share (see pollCoordinator.ts): whether it may call
// the API now, how long the API asked everyone to wait, and which shared results it has applied.
// Without a coordinator the window always leads, and only the wait is kept.

/** A lease lasts this many scheduled intervals (plus LEASE_GRACE_MS), then another window may take over. */
const LEASE_INTERVALS = 2;
const LEASE_GRACE_MS = 15_000;

/** What a tick may do: call the API, read what the leader shared, or wait (a retry-after holds). */
export type LeaseTurn = 'lead' | 'follow' | 'wait';

export class PollLease {
  /** No request before then (retry-after); read through waitUntil(), which bounds it. */
  private notBefore = 0;
  /** The user asked this window for fresh data: its next acquire takes the lease from anyone. */
  private forceNext = false;
  /** The newest shared result already applied (ms). */
  private sharedSeen = 0;

  constructor(
    private readonly coordinator: PollCoordinator | undefined,
    private readonly clock: { now(): number },
  ) {}

  /** The next acquire() takes the lease whoever holds it. */
  takeOverNext(): void {
    this.forceNext = true;
  }

  /**
   * Before a request: takes or renews the lease for `intervalMs` (the delay this tick was
   * scheduled with) and learns the wait other windows were told. Without a coordinator, 'lead':
   * the tick's timer already honoured this window's own wait.
   */
  acquire(intervalMs: number, focused: boolean): LeaseTurn {
    if (!this.coordinator) return 'lead';
    const grant = this.coordinator.acquire({ until: this.until(intervalMs), focused, force: this.forceNext });
    this.forceNext = false;
    if (Number.isFinite(grant.notBefore)) this.holdUntil(grant.notBefore);
    if (!grant.leader) return 'follow';
    const now = this.clock.now();
    return this.waitUntil(now) > now ? 'wait' : 'lead';
  }

  /** After a request, once the next tick is scheduled: the lease covers it, and the wait is shared. */
  renew(intervalMs: number, focused: boolean): void {
    this.coordinator?.acquire({ until: this.until(intervalMs), focused, notBefore: this.waitUntil(this.clock.now()) });
  }

  /** Gives the lease up (polling stopped, window closing). */
  release(): void {
    this.coordinator?.release();
  }

  /**
   * What a tick's answer says about waiting: a retry-after (bounded, never under the poll floor)
   * holds every window; any other answer from the API ends the wait it asked for before, even if
   * the clock was set back since and the time it named lies a month ahead again.
   */
  afterTick(tick: Pick<PollTick, 'request' | 'error'>): void {
    const seconds = tick.error?.retryAfterSeconds;
    const wait = seconds === undefined ? undefined : clampServerDelay(seconds * 1000, MIN_INTERVAL_SECONDS * 1000);
    if (wait !== undefined) this.holdUntil(this.clock.now() + wait);
    else if (!tick.error && (tick.request === 'list' || tick.request === 'retrieve')) this.notBefore = 0;
  }

  /**
   * When the next request may go out. Never more than MAX_INTERVAL_MS from now: a retry-after was
   * bounded when it came, but the clock may have been set back since (or a lease said more).
   */
  waitUntil(now: number): number {
    if (!Number.isFinite(this.notBefore)) this.notBefore = 0;
    if (this.notBefore > now + MAX_INTERVAL_MS) this.notBefore = now + MAX_INTERVAL_MS;
    return this.notBefore;
  }

  /** What the leader shared since this window last read or published. */
  readShared(): SharedSnapshot {
    if (!this.coordinator) return { batches: [], removed: [] };
    const shared = this.coordinator.readSince(this.sharedSeen);
    for (const entry of [...shared.batches, ...shared.removed]) this.sharedSeen = Math.max(this.sharedSeen, entry.seenAt);
    return shared;
  }

  /** The leader shares what one request returned (and which batches the API no longer knows). */
  publish(batches: readonly MessageBatch[], removed?: readonly string[]): void {
    const at = this.clock.now();
    this.coordinator?.publish({ at, batches, removed });
    this.sharedSeen = at;
  }

  private holdUntil(at: number): void {
    this.notBefore = Math.max(this.notBefore, at);
  }

  private until(intervalMs: number): number {
    return this.clock.now() + LEASE_INTERVALS * intervalMs + LEASE_GRACE_MS;
  }
}
