import { MAX_SERVER_DELAY_MS } from '../api';

// The pure timing rules of the poller: how long to wait before the next look at the API.
// No clock and no timers here, so the rules can be read (and tested) on their own.

/** What the user can set (`claudeBatches.pollIntervalSeconds`, `…maxPollIntervalSeconds`). */
export interface PollSettings {
  /** The interval right after something changed. Default 30, never below 10. */
  intervalSeconds: number;
  /** The longest interval while nothing changes (focused window). Default 300. */
  maxIntervalSeconds: number;
}

const POLL_DEFAULTS: PollSettings = { intervalSeconds: 30, maxIntervalSeconds: 300 };

/** All batch endpoints share one requests-per-minute limit: never poll more often than this. */
export const MIN_INTERVAL_SECONDS = 10;
/**
 * The longest the poller waits for anything: its own backoff whatever the settings say, a
 * server's retry-after, another window's. The same hour a server may ask for (see
 * MAX_SERVER_DELAY_MS for why an hour).
 */
export const MAX_INTERVAL_MS = MAX_SERVER_DELAY_MS;
/** While a tick changes nothing, the next interval is this much longer. */
const BACKOFF_FACTOR = 1.5;
/** While the window is unfocused, intervals are this much longer… */
const UNFOCUSED_FACTOR = 4;
/** …up to this (or the focused maximum, when the user set that higher). */
const UNFOCUSED_MAX_MS = 10 * 60_000;
/**
 * How far apart a batch of a given age is worth checking at most, youngest first: [age below, interval].
 * The user waits for the end of a batch submitted minutes ago; one that has run for hours will
 * likely run for hours more. Older than the last age, the backoff alone decides.
 */
const AGE_STEPS: readonly (readonly [ageMs: number, intervalMs: number])[] = [
  [10 * 60_000, 30_000],
  [60 * 60_000, 60_000],
  [6 * 60 * 60_000, 120_000],
];
/**
 * The request budget per account: a bucket of BUDGET_BURST requests refilled one every
 * BUDGET_REFILL_MS. Any hour then holds at most BUDGET_BURST + 3600 s / BUDGET_REFILL_MS = 60
 * requests the poller chose to make, however many batches are in flight (one list covers them).
 */
export const BUDGET_BURST = 6;
export const BUDGET_REFILL_MS = 3600_000 / 54;
/** After poke() (refresh, submit, cancel): the next look comes this soon. */
export const POKE_DELAY_MS = 1_000;
/** On focus return, a far-away poll is brought forward to a random moment within this. */
export const FOCUS_JITTER_MS = 3_000;

/** The intervals in milliseconds that the settings allow, made sane whatever was typed. */
export function effectiveIntervals(settings: PollSettings): { baseMs: number; maxMs: number } {
  const base = finiteOr(settings.intervalSeconds, POLL_DEFAULTS.intervalSeconds);
  const max = finiteOr(settings.maxIntervalSeconds, POLL_DEFAULTS.maxIntervalSeconds);
  const baseMs = Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_SECONDS, base) * 1000);
  return { baseMs, maxMs: Math.min(MAX_INTERVAL_MS, Math.max(baseMs, max * 1000)) };
}

/**
 * The delay a poller timer is armed with: at least `floorMs`, at most MAX_INTERVAL_MS, whole ms.
 * Every timer goes through here, because setTimeout turns anything it cannot hold (NaN, or past
 * 2^31 − 1 ms, about 24.8 days) into 1 ms: one absurd delay anywhere would become a request loop.
 */
export function timerDelay(ms: number, floorMs: number): number {
  const floor = Math.min(MAX_INTERVAL_MS, Math.max(0, Number.isFinite(floorMs) ? floorMs : 0));
  if (Number.isNaN(ms)) return Math.max(floor, MIN_INTERVAL_SECONDS * 1000);
  return Math.round(Math.min(MAX_INTERVAL_MS, Math.max(floor, ms)));
}

/**
 * The backoff: starts at the base interval, grows by BACKOFF_FACTOR after every tick that changed
 * nothing (or failed) up to the maximum, and goes back to the base when something changed or the
 * user asked for fresh data. Unfocused windows wait UNFOCUSED_FACTOR times longer.
 */
export class PollSchedule {
  private intervalMs: number | undefined;
  /** Set by reset(): the next tick's interval is the base one, even when that tick is quiet. */
  private fresh = false;

  constructor(private readonly settings: () => PollSettings) {}

  /**
   * The interval before the first tick after polling starts. `youngestAgeMs`: how long the youngest
   * in-flight batch has run (none given: the backoff alone decides).
   */
  start(focused: boolean, youngestAgeMs?: number): number {
    this.intervalMs = this.bounds().baseMs;
    this.fresh = false;
    return this.delay(focused, youngestAgeMs);
  }

  /** Something changed or the user asked: the tick after the next one comes after the base interval. */
  reset(): void {
    this.intervalMs = this.bounds().baseMs;
    this.fresh = true;
  }

  /**
   * The delay before the next tick, given what the tick that just ran found and the age of the
   * youngest batch in flight: a quiet backoff never grows past what that age allows
   * (ageIntervalMs); a failing one does, so that a failing API is not pressed.
   */
  afterTick(outcome: 'changed' | 'quiet' | 'failed', focused: boolean, youngestAgeMs?: number): number {
    const { baseMs, maxMs } = this.bounds();
    if (outcome === 'changed') this.reset();
    if (this.fresh || this.intervalMs === undefined) {
      this.intervalMs = baseMs;
      this.fresh = false;
    } else {
      this.intervalMs = Math.min(maxMs, Math.max(baseMs, roundToSecond(this.intervalMs * BACKOFF_FACTOR)));
    }
    return this.delay(focused, outcome === 'failed' ? undefined : youngestAgeMs);
  }

  /** The current (focused) interval, for leases and logs. */
  get currentMs(): number {
    return this.intervalMs ?? this.bounds().baseMs;
  }

  private delay(focused: boolean, youngestAgeMs: number | undefined): number {
    const { baseMs, maxMs } = this.bounds();
    const cap = youngestAgeMs === undefined ? maxMs : ageIntervalMs(youngestAgeMs, { baseMs, maxMs });
    const interval = Math.min(cap, maxMs, Math.max(baseMs, this.intervalMs ?? baseMs));
    if (focused) return interval;
    return Math.min(interval * UNFOCUSED_FACTOR, Math.max(UNFOCUSED_MAX_MS, maxMs));
  }

  private bounds(): { baseMs: number; maxMs: number } {
    return effectiveIntervals(this.settings());
  }
}

/**
 * The longest interval a batch of this age is left unchecked (focused window): AGE_STEPS, never
 * below the base interval nor above the maximum the settings allow.
 */
export function ageIntervalMs(ageMs: number, bounds: { baseMs: number; maxMs: number }): number {
  const step = Number.isFinite(ageMs) ? AGE_STEPS.find(([below]) => ageMs < below) : undefined;
  return Math.min(bounds.maxMs, Math.max(bounds.baseMs, step ? step[1] : bounds.maxMs));
}

/**
 * The account's request budget (BUDGET_BURST, BUDGET_REFILL_MS): the poller spends one per
 * request it makes, and waits for the next when none is left. What the user asks for (refresh,
 * focus, Check Now) spends too but never waits.
 */
export class RequestBudget {
  private tokens = BUDGET_BURST;
  private at: number | undefined;

  /** How long until a request fits the budget (0: now). */
  waitMs(now: number): number {
    const tokens = this.level(now);
    return tokens >= 1 ? 0 : Math.ceil((1 - tokens) * BUDGET_REFILL_MS);
  }

  /** A request was made now. */
  spend(now: number): void {
    this.tokens = Math.max(0, this.level(now) - 1);
    this.at = now;
  }

  private level(now: number): number {
    if (this.at === undefined) return this.tokens;
    return Math.min(BUDGET_BURST, this.tokens + Math.max(0, now - this.at) / BUDGET_REFILL_MS);
  }
}

/** Whole seconds read better in logs and keep windows' schedules comparable. */
function roundToSecond(ms: number): number {
  return Math.round(ms / 1000) * 1000;
}

function finiteOr(value: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}
