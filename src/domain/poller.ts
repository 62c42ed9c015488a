import * as l10n from '@vscode/l10n';
import { describeError, type BatchesApi, type UserFacingError } from '../api';
import { Emitter, type Event } from './events';
import { DisposableObject } from './lifecycle';
import { applyPolled, NOT_FOUND_ELSEWHERE } from './pollApply';
import type { PollerOptions, PollerState, PollTick, RemovedBatch, ScheduledPoll, ScheduleReason } from './pollerTypes';
import { PollLease } from './pollLease';
import { forgetBatch, NO_MEMORY, plan, rememberList, type PlanMemory } from './pollPlan';
import { sendPoll } from './pollRequest';
import { FOCUS_JITTER_MS, MIN_INTERVAL_SECONDS, POKE_DELAY_MS, PollSchedule, RequestBudget } from './pollSchedule';
import { TickTimer } from './pollTimer';
import { isEnded } from '../common/batchStatus';

// The one poller (ARCHITECTURE.md, "One of each"): keeps the store's in-flight batches up to date with one API
// request per tick however many there are, on chained timers that back off while nothing changes.
// It wires the parts: the schedule (pollSchedule.ts), the timer (pollTimer.ts), the lease windows
// share (pollLease.ts), which request to make (pollPlan.ts), making it (pollRequest.ts) and
// putting the answer in the store (pollApply.ts). Its options and reports are in pollerTypes.ts.

export class Poller extends DisposableObject {
  private readonly stateEmitter = this.register(new Emitter<PollerState>());
  private readonly removedEmitter = this.register(new Emitter<RemovedBatch>());
  private readonly scheduleEmitter = this.register(new Emitter<ScheduledPoll>());
  private readonly tickEmitter = this.register(new Emitter<PollTick>());
  /** Fires when the kind of state changes (a failure is reported once, however many ticks fail). */
  readonly onDidChangeState: Event<PollerState> = this.stateEmitter.event;
  /** A watched batch no longer exists (404): it has been removed from the store. */
  readonly onDidRemoveBatch: Event<RemovedBatch> = this.removedEmitter.event;
  /** Every time the next tick is (re)scheduled. */
  readonly onDidSchedule: Event<ScheduledPoll> = this.scheduleEmitter.event;
  /** After every tick, once the store is updated and the next tick scheduled. */
  readonly onDidTick: Event<PollTick> = this.tickEmitter.event;

  private current: PollerState = { kind: 'idle' };
  private focused = true;
  private running: Promise<void> | undefined;
  private pokedWhileRunning = false;
  private memory: PlanMemory = NO_MEMORY;
  /** Aborted by dispose(): the request under way is given up with it. */
  private readonly disposal = new AbortController();
  private readonly schedule: PollSchedule;
  /** The account's requests per hour stay within this, however many batches are in flight. */
  private readonly budget = new RequestBudget();
  private checkedAt: number | undefined;
  private readonly timer: TickTimer;
  private readonly lease: PollLease;
  private readonly random: () => number;

  constructor(private readonly options: PollerOptions) {
    super();
    this.schedule = new PollSchedule(options.settings);
    this.timer = new TickTimer(options.timers);
    this.lease = new PollLease(options.coordinator, options.timers);
    this.random = options.random ?? Math.random;
    this.register(options.store.onDidChange(() => this.storeChanged()));
    this.storeChanged();
  }

  get state(): PollerState {
    return this.current;
  }

  /** When the store last learned the in-flight batches' state from the API (or another window), ms. */
  get lastCheckedAt(): number | undefined {
    return this.checkedAt;
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
    this.lease.takeOverNext();
    if (this.running) {
      this.pokedWhileRunning = true;
      return;
    }
    const at = this.timer.at;
    if (at !== undefined && at <= this.now() + POKE_DELAY_MS) return;
    this.scheduleIn(POKE_DELAY_MS, 'poke');
  }

  /** Unfocused windows poll less often; on focus return a far-away poll comes soon (lookSoon). */
  setFocused(focused: boolean): void {
    if (this.disposed || focused === this.focused) return;
    this.focused = focused;
    if (focused) this.lookSoon();
  }

  /**
   * The user is looking again (the window regained focus, the Batches view was shown): a
   * far-away poll comes within FOCUS_JITTER_MS (random, so windows focused together do not ask
   * together), unless the last check is younger than the poll floor. The backoff goes on.
   */
  lookSoon(): void {
    const at = this.timer.at;
    if (this.disposed || this.running || at === undefined) return;
    const now = this.now();
    if (this.checkedAt !== undefined && now - this.checkedAt < MIN_INTERVAL_SECONDS * 1000) return;
    if (at - now > FOCUS_JITTER_MS) this.scheduleIn(Math.floor(this.random() * FOCUS_JITTER_MS), 'focus');
  }

  /** Stops first (the request under way is given up, no tick comes again, the lease is handed back), then lets go of its listeners. */
  override dispose(): void {
    if (this.disposed) return;
    this.disposal.abort();
    this.timer.clear();
    this.lease.release();
    this.current = { kind: 'idle' };
    super.dispose();
  }

  private get disposed(): boolean {
    return this.disposal.signal.aborted;
  }

  // ---- starting and stopping ----

  /**
   * Starts or stops polling as batches come and go. While a tick runs, changes (its own writes
   * among them) are left to the tick's end, which looks at the store again.
   */
  private storeChanged(): void {
    if (this.disposed || this.running) return;
    if (this.current.kind === 'stopped') {
      // The store was emptied for another key or base URL: that key deserves a try.
      if (!this.options.store.isLoaded) this.setState({ kind: 'idle' });
      return;
    }
    const inFlight = this.hasInFlight();
    if (inFlight && this.current.kind === 'idle') {
      this.scheduleIn(this.schedule.start(this.focused, this.youngestAgeMs()), 'start');
    } else if (!inFlight && this.current.kind !== 'idle') {
      this.goIdle();
    }
  }

  private hasInFlight(): boolean {
    return this.options.store.batches.some((b) => !isEnded(b));
  }

  /**
   * How long the youngest in-flight batch has run: the schedule checks young batches more often.
   * Undefined when a batch seems created in the future: this clock (or the server's) is off, and
   * the age says nothing; the backoff alone decides.
   */
  private youngestAgeMs(): number | undefined {
    let newest = -Infinity;
    for (const b of this.options.store.batches) if (!isEnded(b)) newest = Math.max(newest, Date.parse(b.created_at));
    const age = this.now() - newest;
    return Number.isFinite(age) && age >= 0 ? age : undefined;
  }

  private goIdle(): void {
    this.timer.clear();
    this.lease.release();
    this.setState({ kind: 'idle' });
  }

  private stop(error: UserFacingError): void {
    this.timer.clear();
    this.lease.release();
    this.log(`polling stopped: ${error.message}`);
    this.setState({ kind: 'stopped', reason: 'auth', error });
  }

  // ---- timers ----

  /**
   * (Re)schedules the next tick, never before the wait the API asked for. `outcome` is what the
   * tick that just ran found: an error (failing), null (it worked: polling), or undefined (not
   * after a tick: a failing poller stays failing). Only what the user did (poke, focus) may bring
   * a tick closer than the poll floor.
   */
  private scheduleIn(delayMs: number, reason: ScheduleReason, outcome?: UserFacingError | null): void {
    const now = this.now();
    const asked = reason === 'poke' || reason === 'focus';
    const floorMs = asked ? 0 : MIN_INTERVAL_SECONDS * 1000;
    const budgetMs = asked ? 0 : this.budget.waitMs(now);
    const at = this.timer.set(() => this.fire(), Math.max(delayMs, budgetMs, this.lease.waitUntil(now) - now), floorMs);
    if (outcome) {
      this.setState({ kind: 'failing', error: outcome, nextPollAt: at });
    } else if (outcome === undefined && this.current.kind === 'failing') {
      this.setState({ ...this.current, nextPollAt: at });
    } else {
      this.setState({ kind: 'polling', nextPollAt: at });
    }
    this.scheduleEmitter.fire({ reason, at, delayMs: at - now });
  }

  private fire(): void {
    if (this.disposed) return;
    if (this.running) {
      // Cannot happen with the timers the poller sets itself; if it does, run once this tick is done.
      void this.running.then(() => this.timer.at === undefined && this.current.kind !== 'idle' && this.current.kind !== 'stopped' && this.fire());
      return;
    }
    this.running = this.tick().finally(() => (this.running = undefined));
  }

  // ---- one tick ----

  /** Starts with an await, so `running` is set before the tick writes to the store. */
  private async tick(): Promise<void> {
    let api: BatchesApi | undefined;
    try {
      api = await this.options.api();
    } catch (err) {
      return this.finish({ request: 'none', changed: false, error: describeError(err, { action: l10n.t('Checking batch status') }) });
    }
    if (this.disposed) return;
    if (!api) {
      // No key: nothing to ask. The store is being emptied; a new key loads it and starts us again.
      this.goIdle();
      return this.tickEmitter.fire({ request: 'none', changed: false });
    }
    if (!this.hasInFlight()) return this.finish({ request: 'none', changed: false });

    // What another window learned first: it may leave nothing to ask (the last batch ended).
    const sharedChanged = this.applyShared();
    if (!this.hasInFlight()) return this.finish({ request: 'shared', changed: sharedChanged });
    const turn = this.lease.acquire(this.timer.lastDelayMs, this.focused);
    if (turn !== 'lead') return this.finish({ request: turn === 'follow' ? 'shared' : 'none', changed: sharedChanged });

    const planned = plan(this.options.store.batches, this.memory, this.now());
    this.memory = planned.memory;
    const request = planned.request;
    if (!request) return this.finish({ request: 'none', changed: false });
    this.budget.spend(this.now());
    const answer = await sendPoll(api, request, this.options.timers, this.disposal.signal);
    if (this.disposed) return;
    const batchId = request.kind === 'retrieve' ? request.batchId : undefined;
    if ('error' in answer) {
      if (batchId === undefined || answer.error.kind !== 'notFound') return this.finish({ request: request.kind, batchId, changed: false, error: answer.error });
      this.removeBatch(batchId, answer.error);
      this.lease.publish([], [batchId]);
      return this.finish({ request: 'retrieve', batchId, changed: true });
    }
    if (request.kind === 'list') {
      const known = new Set(this.options.store.batches.map((b) => b.id));
      this.memory = rememberList(this.memory, request.targets, answer.batches, known);
    }
    const changed = applyPolled(this.options.store, answer.batches);
    this.lease.publish(answer.batches);
    return this.finish(request.kind === 'list' ? { request: 'list', limit: request.limit, changed } : { request: 'retrieve', batchId, changed });
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
      if (!error && tick.request !== 'none') this.checkedAt = this.now();
      let delay = this.schedule.afterTick(error ? 'failed' : tick.changed ? 'changed' : 'quiet', this.focused, this.youngestAgeMs());
      let reason: ScheduleReason = 'tick';
      this.lease.afterTick(tick);
      if (poked) {
        this.schedule.reset();
        delay = POKE_DELAY_MS;
        reason = 'poke';
      }
      if (error && this.current.kind !== 'failing') this.log(`polling failed, retrying with backoff: ${error.message}`);
      if (!error && this.current.kind === 'failing') this.log('polling recovered');
      this.scheduleIn(delay, reason, error ?? null);
      if (tick.request !== 'shared') this.lease.renew(this.timer.lastDelayMs, this.focused);
    }
    this.tickEmitter.fire(tick);
  }

  // ---- applying what came back ----

  /** Takes a batch the API no longer knows out of the store; true when it was there. */
  private removeBatch(batchId: string, error: UserFacingError): boolean {
    this.memory = forgetBatch(this.memory, batchId);
    if (!this.options.store.remove(batchId)) return false;
    this.log(`batch ${batchId} no longer exists: removed from the list`);
    this.removedEmitter.fire({ batchId, error });
    return true;
  }

  /** A window that does not hold the lease reads what the holder shared. */
  private applyShared(): boolean {
    const shared = this.lease.readShared();
    let changed = applyPolled(this.options.store, shared.batches.map((e) => e.batch));
    for (const { batchId } of shared.removed) if (this.removeBatch(batchId, NOT_FOUND_ELSEWHERE)) changed = true;
    return changed;
  }

  // ---- state ----

  private now(): number {
    return this.options.timers.now();
  }

  private setState(next: PollerState): void {
    const kindChanged = next.kind !== this.current.kind;
    this.current = next;
    if (kindChanged) this.stateEmitter.fire(next);
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}
