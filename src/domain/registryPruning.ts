// Keeping the submission registry from growing forever. A record is what this machine knows of a
// batch and the API does not: its file name, source path and content hash. It stays useful while
// the batch exists or its results are kept here; it is dropped only when neither holds.
import type { SubmissionRecord } from './submissionRegistry';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * 90 days: the API deletes results RETENTION_DAYS after a batch is created, so an older record with no
 * local copy only names the batch's row and warns when the same file is sent again; three months
 * keeps that for a good while after the results are gone. Such a record is dropped only once the
 * API says the batch no longer exists.
 */
const RECORD_MAX_AGE_MS = 90 * DAY_MS;

/**
 * The bound, whatever the API says: about 0.5 KB each, 2,000 records are about 1 MB of VS Code's
 * global state, which is read at startup and written whole at each submission. Records whose
 * results are kept here are never dropped for it (the local copy needs its name and source).
 */
const MAX_RECORDS = 2000;

/** At most this many batches are looked up on the API per pass (one pass per window start). */
const CHECKS_PER_PASS = 20;

export interface PrunePlanOptions {
  now: number;
  hasLocalCopy: (batchId: string) => boolean;
  maxAgeMs?: number;
  maxRecords?: number;
  maxChecks?: number;
}

export interface PrunePlan {
  /** Forget now: the oldest records over the bound (none with a local copy). */
  forget: string[];
  /** Forget if the API says the batch no longer exists: old, no local copy; oldest first. */
  check: string[];
}

export function planRegistryPrune(records: SubmissionRecord[], options: PrunePlanOptions): PrunePlan {
  const maxAgeMs = options.maxAgeMs ?? RECORD_MAX_AGE_MS;
  const maxRecords = options.maxRecords ?? MAX_RECORDS;
  const maxChecks = options.maxChecks ?? CHECKS_PER_PASS;
  const oldestFirst = [...records].sort((a, b) => a.submittedAt.localeCompare(b.submittedAt));
  const droppable = oldestFirst.filter((r) => !options.hasLocalCopy(r.batchId));
  const excess = Math.max(0, records.length - maxRecords);
  const forget = droppable.slice(0, excess).map((r) => r.batchId);
  const ageOf = (r: SubmissionRecord) => options.now - (Date.parse(r.submittedAt) || 0);
  const check = droppable
    .slice(excess)
    .filter((r) => ageOf(r) > maxAgeMs)
    .slice(0, maxChecks)
    .map((r) => r.batchId);
  return { forget, check };
}
