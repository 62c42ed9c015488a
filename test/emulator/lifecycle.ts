import { planKindName, type FinalKind, type RequestPlan } from './outcomes';
import type { MessageBatchJson, ProcessingStatus, RequestCountsJson, Timing } from './types';

// A batch's state is never advanced by timers: it is computed from the emulator clock whenever it is
// looked at. A record holds only where processing stood at one moment (progressAt/progressCount),
// how fast it goes from there (ms per request, or not at all in manual mode) and whether and when
// a cancel happened. Everything else (status, counts, ended_at, expiry, archiving) follows.

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;
/** Batches end at most 24 h after creation; unfinished requests expire. */
export const EXPIRY_MS = DAY_MS;
/** Results are kept for 29 days after creation, then archived. */
export const RETENTION_MS = 29 * DAY_MS;

export type TimingMode = 'instant' | 'manual' | 'rate';

export interface BatchRecord {
  id: string;
  /** Creation order, to break created_at ties and to make ids. */
  seq: number;
  createdAt: number;
  mode: TimingMode;
  /** ms per request in 'rate' mode, else 0. */
  rate: number;
  /** At progressAt, progressCount requests (in input order) were complete. */
  progressAt: number;
  progressCount: number;
  /** How long canceling lasts in instant/rate modes; manual batches wait for step/finish. */
  cancelLatencyMs: number;
  cancelAt: number | null;
  /** Requests complete when cancel began; the rest end up canceled. */
  cancelFrozen: number | null;
  /** When step/finish ended a canceling batch. */
  cancelEndAt: number | null;
  plans: RequestPlan[];
}

export interface BatchEnd {
  /** ms; Infinity when it cannot end without step/finish (and has no expiry ahead, which cannot happen). */
  at: number;
  reason: 'done' | 'canceled' | 'expired';
  /** Requests 0..completed-1 have their planned outcome; the rest are canceled or expired by `reason`. */
  completed: number;
}

export function timingMode(timing: Timing): { mode: TimingMode; rate: number } {
  if (timing === 'instant' || timing === 'manual') return { mode: timing, rate: 0 };
  if (typeof timing === 'object' && timing !== null && Number.isFinite(timing.perRequestMs) && timing.perRequestMs > 0) {
    return { mode: 'rate', rate: timing.perRequestMs };
  }
  throw new Error(`invalid timing ${JSON.stringify(timing)}: use 'instant', 'manual' or { perRequestMs: N > 0 }`);
}

/** How many requests (in input order) are complete at time t, ignoring cancel and expiry. */
export function countAt(b: BatchRecord, t: number): number {
  const n = b.plans.length;
  let count = b.progressCount;
  if (b.mode === 'rate' && t > b.progressAt) count += Math.floor((t - b.progressAt) / b.rate);
  return Math.min(n, count);
}

/** When every request would be done, ignoring cancel and expiry. */
function naturalDoneAt(b: BatchRecord): number {
  const n = b.plans.length;
  if (b.progressCount >= n) return b.progressAt;
  if (b.mode === 'rate') return b.progressAt + (n - b.progressCount) * b.rate;
  return Infinity;
}

export function endOf(b: BatchRecord): BatchEnd {
  const expiresAt = b.createdAt + EXPIRY_MS;
  if (b.cancelAt !== null) {
    const cancelEnd = b.cancelEndAt ?? (b.mode === 'manual' ? Infinity : b.cancelAt + b.cancelLatencyMs);
    return { at: Math.min(cancelEnd, expiresAt), reason: 'canceled', completed: b.cancelFrozen ?? 0 };
  }
  const done = naturalDoneAt(b);
  if (done <= expiresAt) return { at: done, reason: 'done', completed: b.plans.length };
  return { at: expiresAt, reason: 'expired', completed: countAt(b, expiresAt) };
}

export function isEnded(b: BatchRecord, t: number): boolean {
  return endOf(b).at <= t;
}

export function isArchived(b: BatchRecord, t: number): boolean {
  return t >= b.createdAt + RETENTION_MS;
}

/** What request i finally became, once the batch has ended. */
export function finalKind(b: BatchRecord, end: BatchEnd, i: number): FinalKind {
  if (end.reason === 'done' || i < end.completed) return planKindName(b.plans[i].k);
  return end.reason === 'canceled' ? 'canceled' : 'expired';
}

const tallies = new WeakMap<BatchRecord, { end: BatchEnd; counts: RequestCountsJson }>();

/**
 * Final counts, cached per end: an ended batch does not change, except when seeding rewrites its
 * past (a cancel dated before its end), which changes the end and so misses the cache.
 */
export function finalCounts(b: BatchRecord, end: BatchEnd): RequestCountsJson {
  const cached = tallies.get(b);
  if (cached && cached.end.at === end.at && cached.end.reason === end.reason && cached.end.completed === end.completed) {
    return cached.counts;
  }
  const counts: RequestCountsJson = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
  for (let i = 0; i < b.plans.length; i++) counts[finalKind(b, end, i)]++;
  tallies.set(b, { end, counts });
  return counts;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export interface ViewOptions {
  /**
   * Show the batch as not yet ended even if it is: the answer to create (instant timing) and to
   * cancel (no cancel latency) still says in_progress / canceling; the next retrieve says ended.
   */
  notEnded?: boolean;
}

/** The MessageBatch JSON as of time t. */
export function viewOf(b: BatchRecord, t: number, origin: string, opts: ViewOptions = {}): MessageBatchJson {
  const n = b.plans.length;
  const end = endOf(b);
  const ended = !opts.notEnded && end.at <= t;
  const status: ProcessingStatus = ended ? 'ended' : b.cancelAt !== null && b.cancelAt <= t ? 'canceling' : 'in_progress';
  const archived = ended && isArchived(b, t);
  return {
    id: b.id,
    type: 'message_batch',
    processing_status: status,
    request_counts: ended ? { ...finalCounts(b, end) } : { processing: n, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
    created_at: iso(b.createdAt),
    expires_at: iso(b.createdAt + EXPIRY_MS),
    ended_at: ended ? iso(end.at) : null,
    cancel_initiated_at: b.cancelAt !== null && b.cancelAt <= t ? iso(b.cancelAt) : null,
    archived_at: archived ? iso(b.createdAt + RETENTION_MS) : null,
    // Kept after archiving (the batch is still listed); the results route then answers 404.
    results_url: ended ? `${origin}/v1/messages/batches/${b.id}/results` : null,
  };
}

export type CancelOutcome = 'started' | 'already-canceling' | 'ended';

/** Starts canceling at time `at`: requests done by then keep their outcome, the rest become canceled. */
export function startCancel(b: BatchRecord, at: number): CancelOutcome {
  if (isEnded(b, at)) return 'ended';
  if (b.cancelAt !== null) return 'already-canceling';
  b.cancelFrozen = countAt(b, at);
  b.cancelAt = at;
  return 'started';
}

/**
 * Completes the next k requests at time t (k = Infinity: all). On a canceling batch it ends the
 * cancel instead. Returns false when there was nothing to do (already ended).
 */
export function advanceBatch(b: BatchRecord, k: number, t: number): boolean {
  if (isEnded(b, t)) return false;
  if (b.cancelAt !== null && b.cancelAt <= t) {
    b.cancelEndAt = t;
    return true;
  }
  const count = countAt(b, t);
  b.progressCount = Math.min(b.plans.length, count + Math.max(0, k));
  b.progressAt = t;
  return true;
}
