import { clampServerDelay, describeError, type BatchesApi, type BatchPage, type MessageBatch, type UserFacingError } from '../api';
import type { BatchStore } from './batchStore';
import { Emitter, type Disposable, type Event } from './events';
import type { PollCoordinator } from './pollCoordinator';
import { FOCUS_JITTER_MS, MAX_INTERVAL_MS, MIN_INTERVAL_SECONDS, POKE_DELAY_MS, PollSchedule, timerDelay, type PollSettings } from './pollSchedule';

// The one poller (style.md point 4): keeps the store's in-flight batches up to date with one API
// request per tick however many there are, on chained timers that back off while nothing changes.

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

export type PollerState =
  /** Nothing in flight (or no API key): no timer, no requests. */
  | { kind: 'idle' }
  | { kind: 'polling'; nextPollAt: number }
  /** The last tick failed; the poller keeps trying, further and further apart. */
  | { kind: 'failing'; error: UserFacingError; nextPollAt: number }
  /** The API rejected the key: no more requests until poke() (e.g. after "Set API Key"). */
  | { kind: 'stopped'; reason: 'auth'; error: UserFacingError };

/** Why a tick was scheduled when it was. */
export type ScheduleReason = 'start' | 'tick' | 'poke' | 'focus';

export interface ScheduledPoll {
  reason: ScheduleReason;
  /** When the tick will run (ms, on the injected clock). */
  at: number;
  /** at − now when it was scheduled. */
  delayMs: number;
}

/** What one tick did, for tests, the bench and the log. */
export interface PollTick {
  /** The request made: one at most. 'shared' = read another window's results instead. */
  request: 'list' | 'retrieve' | 'shared' | 'none';
  batchId?: string;
  limit?: number;
  changed: boolean;
  error?: UserFacingError;
}

export interface RemovedBatch {
  batchId: string;
  /** The 404 the API answered with. */
  error: UserFacingError;
}

export interface PollerOptions {
  store: BatchStore;
  /** The API for the current key, or undefined when there is none. */
  api: () => Promise<BatchesApi | undefined>;
  timers: PollTimers;
  /** In [0, 1); for the jitter on focus return. Default Math.random. */
  random?: () => number;
  settings: () => PollSettings;
  /** Shares one poller between the windows of this machine. */
  coordinator?: PollCoordinator;
  log?: (line: string) => void;
}

/** A list request covers at least this many batches (the API's default page)… */
export const LIST_MIN_LIMIT = 20;
/** …and at most this many (the API's maximum); older in-flight batches are retrieved one by one. */
export const LIST_MAX_LIMIT = 1000;
/** Room in the list window for batches created since the store was loaded. */
export const LIST_SLACK = 10;
/** A poll that has not answered by then is given up (the SDK's own timeout is 10 minutes). */
export const REQUEST_TIMEOUT_MS = 60_000;
/** A lease lasts this many scheduled intervals (plus LEASE_GRACE_MS), then another window may take over. */
const LEASE_INTERVALS = 2;
const LEASE_GRACE_MS = 15_000;

const STATUS_RANK: Record<MessageBatch['processing_status'], number> = { in_progress: 0, canceling: 1, ended: 2 };

type Plan =
  | { kind: 'list'; limit: number; targets: string[] }
  | { kind: 'retrieve'; batchId: string };

export class Poller implements Disposable {
  private readonly stateEmitter = new Emitter<PollerState>();
  private readonly removedEmitter = new Emitter<RemovedBatch>();
  private readonly scheduleEmitter = new Emitter<ScheduledPoll>();
  private readonly tickEmitter = new Emitter<PollTick>();
  /** Fires when the kind of state changes (a failure is reported once, however many ticks fail). */
  readonly onDidChangeState: Event<PollerState> = this.stateEmitter.event;
  /** A watched batch no longer exists (404): it has been removed from the store. */
  readonly onDidRemoveBatch: Event<RemovedBatch> = this.removedEmitter.event;
  /** Every time the next tick is (re)scheduled. */
  readonly onDidSchedule: Event<ScheduledPoll> = this.scheduleEmitter.event;
  /** After every tick, once the store is updated and the next tick scheduled. */
  readonly onDidTick: Event<PollTick> = this.tickEmitter.event;

  private current: PollerState = { kind: 'idle' };
  private readonly schedule: PollSchedule;
  private readonly random: () => number;
  private readonly subscription: Disposable;
  private timer: unknown;
  private timerAt: number | undefined;
  private lastDelayMs = 0;
  private focused = true;
  /** No request before then (retry-after); read through waitUntil(), which bounds it. */
  private notBefore = 0;
  private running: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private pokedWhileRunning = false;
  private leadNextTick = false;
  private disposed = false;
  /** Set while the poller itself writes to the store, to tell its own changes from others'. */
  private applying = false;
  private changedByTick = false;
  private lastRequest: 'list' | 'retrieve' | undefined;
  /** In-flight batches a list that should have covered them did not return: retrieved instead. */
  private readonly missedByList = new Set<string>();
  private readonly lastRetrieved = new Map<string, number>();
  /** Batches in the last list answer the store does not know: they push ours further down. */
  private unknownInWindow = 0;
  /** The newest shared result already applied. */
  private sharedSeen = 0;

  constructor(private readonly options: PollerOptions) {
    this.schedule = new PollSchedule(options.settings);
    this.random = options.random ?? Math.random;
    this.subscription = options.store.onDidChange(() => this.storeChanged());
    this.storeChanged();
  }

  get state(): PollerState {
    return this.current;
  }

  /** Resolves once the tick running now (if any) has finished. */
  settled(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /**
   * The user refreshed, submitted or cancelled: look again soon and start the backoff over.
   * Also the way out of 'stopped' once a new key is set.
   */
  poke(): void {
    if (this.disposed) return;
    if (this.current.kind === 'stopped') this.setState({ kind: 'idle' });
    if (!this.hasInFlight()) return;
    this.schedule.reset();
    this.leadNextTick = true;
    if (this.running) {
      this.pokedWhileRunning = true;
      return;
    }
    if (this.timer !== undefined && this.timerAt !== undefined && this.timerAt <= this.now() + POKE_DELAY_MS) return;
    this.scheduleIn(POKE_DELAY_MS, 'poke');
  }

  /** Unfocused windows poll less often; on focus return a far-away poll comes soon, with jitter. */
  setFocused(focused: boolean): void {
    if (this.disposed || focused === this.focused) return;
    this.focused = focused;
    if (!focused || this.running || this.timer === undefined || this.timerAt === undefined) return;
    if (this.timerAt - this.now() > FOCUS_JITTER_MS) this.scheduleIn(Math.floor(this.random() * FOCUS_JITTER_MS), 'focus');
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clearTimer();
    this.abort?.abort();
    this.subscription.dispose();
    this.options.coordinator?.release();
    this.current = { kind: 'idle' };
    this.stateEmitter.dispose();
    this.removedEmitter.dispose();
    this.scheduleEmitter.dispose();
    this.tickEmitter.dispose();
  }

  // ---- starting and stopping ----

  private storeChanged(): void {
    if (this.applying) {
      this.changedByTick = true;
      return;
    }
    if (this.disposed || this.running) return;
    if (this.current.kind === 'stopped') {
      // The store was emptied for another key or base URL: that key deserves a try.
      if (!this.options.store.isLoaded) this.setState({ kind: 'idle' });
      return;
    }
    const inFlight = this.hasInFlight();
    if (inFlight && this.current.kind === 'idle') {
      this.scheduleIn(this.schedule.start(this.focused), 'start');
    } else if (!inFlight && this.current.kind !== 'idle') {
      this.goIdle();
    }
  }

  private hasInFlight(): boolean {
    return this.options.store.batches.some((b) => b.processing_status !== 'ended');
  }

  private goIdle(): void {
    this.clearTimer();
    this.options.coordinator?.release();
    this.setState({ kind: 'idle' });
  }

  private stop(error: UserFacingError): void {
    this.clearTimer();
    this.options.coordinator?.release();
    this.log(`polling stopped: ${error.message}`);
    this.setState({ kind: 'stopped', reason: 'auth', error });
  }

  // ---- timers ----

  private now(): number {
    return this.options.timers.now();
  }

  /**
   * (Re)schedules the next tick. `outcome` is what the tick that just ran found: an error (failing),
   * null (it worked: polling), or undefined (not after a tick: a failing poller stays failing).
   * Only what the user did (poke, focus) may bring a tick closer than the poll floor.
   */
  private scheduleIn(delayMs: number, reason: ScheduleReason, outcome?: UserFacingError | null): void {
    this.clearTimer();
    const now = this.now();
    const floorMs = reason === 'poke' || reason === 'focus' ? 0 : MIN_INTERVAL_SECONDS * 1000;
    const armed = this.arm(() => this.fire(), Math.max(delayMs, this.waitUntil(now) - now), floorMs);
    const at = now + armed.delayMs;
    this.timer = armed.handle;
    this.timerAt = at;
    this.lastDelayMs = armed.delayMs;
    if (outcome) {
      this.setState({ kind: 'failing', error: outcome, nextPollAt: at });
    } else if (outcome === undefined && this.current.kind === 'failing') {
      this.setState({ ...this.current, nextPollAt: at });
    } else {
      this.setState({ kind: 'polling', nextPollAt: at });
    }
    this.scheduleEmitter.fire({ reason, at, delayMs: at - now });
  }

  /** Arms a timer: the only call to setTimeout, so that no delay escapes timerDelay's bounds. */
  private arm(fn: () => void, ms: number, floorMs: number): { handle: unknown; delayMs: number } {
    const delayMs = timerDelay(ms, floorMs);
    return { handle: this.options.timers.setTimeout(fn, delayMs), delayMs };
  }

  /**
   * When the next request may go out. Never more than MAX_INTERVAL_MS from now: a retry-after was
   * bounded when it came, but the clock may have been set back since (or a lease said more).
   */
  private waitUntil(now: number): number {
    if (!Number.isFinite(this.notBefore)) this.notBefore = 0;
    if (this.notBefore > now + MAX_INTERVAL_MS) this.notBefore = now + MAX_INTERVAL_MS;
    return this.notBefore;
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.options.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = undefined;
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = undefined;
    if (this.disposed) return;
    if (this.running) {
      // Cannot happen with the timers the poller sets itself; if it does, run once this tick is done.
      void this.running.then(() => this.timer === undefined && this.current.kind !== 'idle' && this.current.kind !== 'stopped' && this.fire());
      return;
    }
    this.running = this.tick().finally(() => (this.running = undefined));
  }

  // ---- one tick ----

  private async tick(): Promise<void> {
    let api: BatchesApi | undefined;
    try {
      api = await this.options.api();
    } catch (err) {
      return this.finish({ request: 'none', changed: false, error: describeError(err, { action: 'Checking batch status' }) });
    }
    if (this.disposed) return;
    if (!api) {
      // No key: nothing to ask. The store is being emptied; a new key loads it and starts us again.
      this.goIdle();
      return this.tickEmitter.fire({ request: 'none', changed: false });
    }
    if (!this.hasInFlight()) return this.finish({ request: 'none', changed: false });

    const coordinator = this.options.coordinator;
    if (coordinator) {
      // What another window learned first: it may leave nothing to ask (the last batch ended).
      const sharedChanged = this.applyShared();
      if (!this.hasInFlight()) return this.finish({ request: 'shared', changed: sharedChanged });
      const grant = coordinator.acquire({ until: this.leaseUntil(this.lastDelayMs), focused: this.focused, force: this.leadNextTick });
      this.leadNextTick = false;
      if (Number.isFinite(grant.notBefore)) this.notBefore = Math.max(this.notBefore, grant.notBefore);
      if (!grant.leader) return this.finish({ request: 'shared', changed: sharedChanged });
      if (this.waitUntil(this.now()) > this.now()) return this.finish({ request: 'none', changed: sharedChanged });
    }

    const plan = this.plan();
    if (!plan) return this.finish({ request: 'none', changed: false });
    this.lastRequest = plan.kind;
    const abort = new AbortController();
    this.abort = abort;
    let timedOut = false;
    const { handle: timeout } = this.arm(
      () => {
        timedOut = true;
        abort.abort();
      },
      REQUEST_TIMEOUT_MS,
      REQUEST_TIMEOUT_MS,
    );
    // The poller has its own backoff: the SDK must not retry behind its back (three requests in
    // one tick).
    const call = { signal: abort.signal, maxRetries: 0 };
    try {
      if (plan.kind === 'list') {
        const page = await api.listPage({ ...call, limit: plan.limit });
        if (this.disposed) return;
        const changed = this.applyList(page, plan.targets);
        coordinator?.publish({ at: this.now(), batches: page.batches });
        this.sharedSeen = this.now();
        return this.finish({ request: 'list', limit: plan.limit, changed });
      }
      this.lastRetrieved.set(plan.batchId, this.now());
      const batch = await api.retrieve(plan.batchId, call);
      if (this.disposed) return;
      const changed = this.applyBatches([batch]);
      coordinator?.publish({ at: this.now(), batches: [batch] });
      this.sharedSeen = this.now();
      return this.finish({ request: 'retrieve', batchId: plan.batchId, changed });
    } catch (err) {
      if (this.disposed) return;
      const error = timedOut
        ? timeoutError(api.baseUrl)
        : describeError(err, { action: 'Checking batch status', baseUrl: api.baseUrl });
      if (plan.kind === 'retrieve' && error.kind === 'notFound') {
        this.removeBatch(plan.batchId, error);
        coordinator?.publish({ at: this.now(), batches: [], removed: [plan.batchId] });
        return this.finish({ request: 'retrieve', batchId: plan.batchId, changed: true });
      }
      const request = plan.kind;
      return this.finish({ request, batchId: plan.kind === 'retrieve' ? plan.batchId : undefined, changed: false, error });
    } finally {
      this.options.timers.clearTimeout(timeout);
      this.abort = undefined;
    }
  }

  /** Schedules the next tick (or goes idle or stops) after a tick, and reports it. */
  private finish(tick: PollTick): void {
    if (this.disposed) return;
    const error = tick.error;
    const poked = this.pokedWhileRunning;
    this.pokedWhileRunning = false;
    if (error?.kind === 'auth') {
      this.stop(error);
    } else if (!this.hasInFlight()) {
      this.goIdle();
    } else {
      let delay = this.schedule.afterTick(error ? 'failed' : tick.changed ? 'changed' : 'quiet', this.focused);
      let reason: ScheduleReason = 'tick';
      const serverWait = error?.retryAfterSeconds === undefined ? undefined : clampServerDelay(error.retryAfterSeconds * 1000, MIN_INTERVAL_SECONDS * 1000);
      if (serverWait !== undefined) this.notBefore = Math.max(this.notBefore, this.now() + serverWait);
      // The API answered: whatever wait it asked for before is over, even if the clock was set
      // back since and the time it named lies a month ahead again.
      else if (!error && (tick.request === 'list' || tick.request === 'retrieve')) this.notBefore = 0;
      if (poked) {
        this.schedule.reset();
        delay = POKE_DELAY_MS;
        reason = 'poke';
      }
      if (error && this.current.kind !== 'failing') this.log(`polling failed, retrying with backoff: ${error.message}`);
      if (!error && this.current.kind === 'failing') this.log('polling recovered');
      this.scheduleIn(delay, reason, error ?? null);
      if (this.options.coordinator && tick.request !== 'shared') {
        this.options.coordinator.acquire({ until: this.leaseUntil(this.lastDelayMs), focused: this.focused, notBefore: this.waitUntil(this.now()) });
      }
    }
    this.tickEmitter.fire(tick);
  }

  private leaseUntil(delayMs: number): number {
    return this.now() + LEASE_INTERVALS * delayMs + LEASE_GRACE_MS;
  }

  // ---- which request ----

  /**
   * One list call covers every in-flight batch among the newest 1000; the others (and any a list
   * did not return) are retrieved one per tick, the one checked longest ago first, every other tick.
   */
  private plan(): Plan | undefined {
    const batches = this.options.store.batches;
    const inFlight = new Set<string>();
    const listTargets: string[] = [];
    const retrieveTargets: string[] = [];
    let deepest = -1;
    // Oldest first, so that ties in retrieve order go to the oldest batch.
    for (let i = batches.length - 1; i >= 0; i--) {
      const b = batches[i];
      if (b.processing_status === 'ended') continue;
      inFlight.add(b.id);
      if (i < LIST_MAX_LIMIT && !this.missedByList.has(b.id)) {
        listTargets.push(b.id);
        deepest = Math.max(deepest, i);
      } else {
        retrieveTargets.push(b.id);
      }
    }
    for (const id of this.missedByList) if (!inFlight.has(id)) this.missedByList.delete(id);
    for (const id of this.lastRetrieved.keys()) if (!inFlight.has(id)) this.lastRetrieved.delete(id);

    const retrieve = retrieveTargets.length > 0 && (listTargets.length === 0 || this.lastRequest === 'list');
    if (retrieve) {
      let pick = retrieveTargets[0];
      for (const id of retrieveTargets) {
        if ((this.lastRetrieved.get(id) ?? -Infinity) < (this.lastRetrieved.get(pick) ?? -Infinity)) pick = id;
      }
      return { kind: 'retrieve', batchId: pick };
    }
    if (listTargets.length === 0) return undefined;
    const limit = Math.min(LIST_MAX_LIMIT, Math.max(LIST_MIN_LIMIT, deepest + 1 + this.unknownInWindow + LIST_SLACK));
    return { kind: 'list', limit, targets: listTargets };
  }

  // ---- applying what came back ----

  private applyList(page: BatchPage, targets: readonly string[]): boolean {
    const returned = new Set(page.batches.map((b) => b.id));
    const known = new Set(this.options.store.batches.map((b) => b.id));
    this.unknownInWindow = page.batches.filter((b) => !known.has(b.id)).length;
    for (const id of targets) if (!returned.has(id)) this.missedByList.add(id);
    for (const id of returned) this.missedByList.delete(id);
    return this.applyBatches(page.batches);
  }

  /** Upserts the batches the store knows; true when any of them changed. */
  private applyBatches(batches: readonly MessageBatch[]): boolean {
    const store = this.options.store;
    const byId = new Map(store.batches.map((b) => [b.id, b]));
    this.changedByTick = false;
    this.applying = true;
    try {
      for (const batch of batches) {
        const known = byId.get(batch.id);
        // An answer sent before a cancel must not turn a canceling batch back to in progress.
        if (!known || STATUS_RANK[batch.processing_status] < STATUS_RANK[known.processing_status]) continue;
        store.upsert(batch);
      }
    } finally {
      this.applying = false;
    }
    return this.changedByTick;
  }

  private removeBatch(batchId: string, error: UserFacingError): void {
    this.missedByList.delete(batchId);
    this.lastRetrieved.delete(batchId);
    if (!this.options.store.get(batchId)) return;
    this.applying = true;
    try {
      this.options.store.remove(batchId);
    } finally {
      this.applying = false;
    }
    this.log(`batch ${batchId} no longer exists: removed from the list`);
    this.removedEmitter.fire({ batchId, error });
  }

  /** A window that does not hold the lease reads what the holder shared. */
  private applyShared(): boolean {
    const shared = this.options.coordinator!.readSince(this.sharedSeen);
    let latest = this.sharedSeen;
    for (const entry of [...shared.batches, ...shared.removed]) latest = Math.max(latest, entry.seenAt);
    this.sharedSeen = latest;
    const changed = this.applyBatches(shared.batches.map((e) => e.batch));
    let removed = false;
    for (const { batchId } of shared.removed) {
      if (!this.options.store.get(batchId)) continue;
      this.removeBatch(batchId, {
        kind: 'notFound',
        retryable: false,
        status: 404,
        message: 'The batch no longer exists (it may have been deleted, or belongs to another workspace).',
      });
      removed = true;
    }
    return changed || removed;
  }

  // ---- state ----

  private setState(next: PollerState): void {
    const kindChanged = next.kind !== this.current.kind;
    this.current = next;
    if (kindChanged) this.stateEmitter.fire(next);
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}

function timeoutError(baseUrl: string): UserFacingError {
  let host = baseUrl;
  try {
    host = new URL(baseUrl).host;
  } catch {
    // Not a URL: name it as it is.
  }
  return {
    kind: 'timeout',
    retryable: true,
    message: `Checking batch status failed: the Anthropic API at ${host} did not answer within ${REQUEST_TIMEOUT_MS / 1000} s. Check your connection; polling will try again.`,
  };
}
