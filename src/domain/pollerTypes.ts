import type { BatchesApi, UserFacingError } from '../api';
import type { BatchStore } from './batchStore';
import type { PollCoordinator } from './pollCoordinator';
import type { PollSettings } from './pollSchedule';
import type { PollTimers } from './pollTimer';

// The poller's public shapes: what it is built from, and what it reports to its listeners.

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
