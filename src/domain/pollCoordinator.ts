import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isBatchShape, MAX_SERVER_DELAY_MS, type MessageBatch } from '../api';
import { isPlainObject } from '../common/json';
import { MAX_INTERVAL_MS } from './pollSchedule';
import { isEnded } from '../common/batchStatus';

// Several VS Code windows on one machine watch the same account. Only one of them (the lease
// holder) calls the API; it shares what it learns through a file, and the others read it. All
// batch endpoints share one requests-per-minute limit, so N windows must not mean N× the requests.

export interface LeaseRequest {
  /** The lease lasts until then (ms); renewed on every tick, so a closed window's lease lapses. */
  until: number;
  /** A focused window takes the lease from an unfocused holder: the user is looking at it. */
  focused: boolean;
  /** Take the lease whoever holds it (the user asked this window for fresh data). */
  force?: boolean;
  /** No window may call the API before then (the API answered 429 with retry-after). */
  notBefore?: number;
}

export interface LeaseGrant {
  /** Whether this window is the one that calls the API now. */
  leader: boolean;
  /** The latest retry-after any window was told, as a time (ms); 0 when none. */
  notBefore: number;
}

export interface SharedEntry {
  batch: MessageBatch;
  /** When the leader received it (ms). */
  seenAt: number;
}

export interface SharedSnapshot {
  batches: SharedEntry[];
  /** Batches the API answered 404 for. */
  removed: { batchId: string; seenAt: number }[];
}

export interface PollCoordinator {
  /** Takes or renews the lease if it is free, expired, ours, or held by an unfocused window while we are focused. */
  acquire(request: LeaseRequest): LeaseGrant;
  /** The leader shares what one request returned. */
  publish(update: { at: number; batches: readonly MessageBatch[]; removed?: readonly string[] }): void;
  /** What the leader shared after `since` (ms). */
  readSince(since: number): SharedSnapshot;
  /** Gives the lease up, if this window holds it (polling stopped, window closing). */
  release(): void;
}

/** A short, stable name for one account, so windows on different keys do not share results. */
export function pollScope(baseUrl: string, apiKey: string): string {
  return createHash('sha256').update(`${baseUrl}\n${apiKey}`).digest('hex').slice(0, 16);
}

/** How long a shared result stays in the file. */
const SHARED_RETENTION_MS = 24 * 3600_000;
/**
 * The furthest ahead a lease may run. The poller asks for two of its intervals plus a grace, and
 * an interval is at most MAX_INTERVAL_MS; a lease beyond this is corrupt, and would keep every
 * other window from polling for as long as it says.
 */
export const MAX_LEASE_MS = 3 * MAX_INTERVAL_MS;
const LEASE_FILE = 'poll-lease.json';
const RESULTS_FILE = 'poll-results.json';

interface LeaseFile {
  version: 1;
  holder: string;
  until: number;
  focused: boolean;
  notBefore: number;
}

interface ResultsFile {
  version: 1;
  batches: Record<string, SharedEntry>;
  removed: Record<string, number>;
}

/**
 * The coordinator for windows of one machine: two small JSON files in a folder all windows share
 * (the extension's global storage, one sub-folder per account, see pollScope). Writes go to a
 * temporary file that is renamed over the old one, so a reader sees the old or the new file,
 * never half of one. Any file-system failure makes this window poll by itself: a duplicate
 * request is better than stale batches.
 */
export class FilePollCoordinator implements PollCoordinator {
  private readonly leasePath: string;
  private readonly resultsPath: string;
  private readonly windowId: string;
  private writes = 0;
  /** The last complaint about the lease file, so that one bad file is logged once. */
  private complaint: string | undefined;
  /** The same for the shared results file. */
  private resultsComplaint: string | undefined;

  constructor(
    private readonly dir: string,
    windowId: string,
    private readonly clock: { now(): number },
    private readonly log?: (line: string) => void,
  ) {
    this.windowId = windowId.replace(/[^A-Za-z0-9_-]/g, '_') || 'window';
    this.leasePath = path.join(dir, LEASE_FILE);
    this.resultsPath = path.join(dir, RESULTS_FILE);
  }

  acquire(request: LeaseRequest): LeaseGrant {
    const now = this.clock.now();
    const lease = this.readLease();
    // What this window writes is bounded as readers check it: it must not lock the others out.
    const asked = request.notBefore !== undefined && Number.isFinite(request.notBefore) ? Math.min(request.notBefore, now + MAX_SERVER_DELAY_MS) : 0;
    const notBefore = Math.max(lease?.notBefore ?? 0, asked);
    const until = Number.isFinite(request.until) ? Math.min(request.until, now + MAX_LEASE_MS) : now;
    const free =
      !lease ||
      lease.until <= now ||
      lease.holder === this.windowId ||
      request.force === true ||
      (request.focused && !lease.focused);
    if (!free) return { leader: false, notBefore };
    const written = this.write(this.leasePath, {
      version: 1,
      holder: this.windowId,
      until,
      focused: request.focused,
      notBefore,
    } satisfies LeaseFile);
    if (!written) return { leader: true, notBefore };
    // Two windows may have written at once: the rename that came last won.
    const check = this.readLease();
    return { leader: !check || check.holder === this.windowId, notBefore };
  }

  publish(update: { at: number; batches: readonly MessageBatch[]; removed?: readonly string[] }): void {
    const file: ResultsFile = this.readResults() ?? { version: 1, batches: Object.create(null), removed: Object.create(null) };
    const recent = update.at - SHARED_RETENTION_MS;
    for (const batch of update.batches) {
      const endedAt = batch.ended_at ? Date.parse(batch.ended_at) : NaN;
      const interesting = !isEnded(batch) || !(endedAt < recent) || batch.id in file.batches;
      if (interesting) file.batches[batch.id] = { batch, seenAt: update.at };
    }
    for (const id of update.removed ?? []) {
      delete file.batches[id];
      file.removed[id] = update.at;
    }
    for (const [id, entry] of Object.entries(file.batches)) if (entry.seenAt < recent) delete file.batches[id];
    for (const [id, at] of Object.entries(file.removed)) if (at < recent) delete file.removed[id];
    this.write(this.resultsPath, file);
  }

  readSince(since: number): SharedSnapshot {
    const file = this.readResults();
    if (!file) return { batches: [], removed: [] };
    return {
      batches: Object.values(file.batches).filter((e) => e.seenAt > since),
      removed: Object.entries(file.removed)
        .filter(([, at]) => at > since)
        .map(([batchId, seenAt]) => ({ batchId, seenAt })),
    };
  }

  release(): void {
    if (this.readLease()?.holder !== this.windowId) return;
    try {
      fs.unlinkSync(this.leasePath);
    } catch {
      // Already gone: nothing to give up.
    }
  }

  /**
   * The lease, or undefined when there is none or it cannot be trusted: then it counts as lapsed,
   * and the next acquire() overwrites it. Any window (an older version, a crash mid-write on a
   * platform without atomic rename, a hand edit) may have left it, so every field is checked.
   */
  private readLease(): LeaseFile | undefined {
    const value = this.read(this.leasePath);
    if (value === undefined) return undefined;
    const problem = leaseProblem(value, this.clock.now());
    if (problem) {
      const line = `poll coordination: ignoring the lease in ${this.leasePath} (${problem}); this window takes it over.`;
      if (line !== this.complaint) this.log?.(line);
      this.complaint = line;
      return undefined;
    }
    this.complaint = undefined;
    const lease = value as Omit<LeaseFile, 'notBefore' | 'focused'> & { notBefore?: number; focused?: boolean };
    return { version: 1, holder: lease.holder, until: lease.until, focused: lease.focused === true, notBefore: lease.notBefore ?? 0 };
  }

  /**
   * The shared results, checked entry by entry like the lease: an entry "seen" in the future
   * would make every follower ignore later news of that batch, and one filed under another id
   * would show the wrong batch. Untrusted entries are dropped (and logged once); the next
   * publish() rewrites the file without them. Ids index null-prototype records, so an id such as
   * `__proto__` is an ordinary key.
   */
  private readResults(): ResultsFile | undefined {
    const value = this.read(this.resultsPath);
    if (!isRecord(value) || value.version !== 1 || !isRecord(value.batches)) return undefined;
    // Every window of this machine shares one clock; a minute covers a write racing a read.
    const latest = this.clock.now() + 60_000;
    const isTime = (at: unknown): at is number => typeof at === 'number' && Number.isFinite(at) && at <= latest;
    const batches: Record<string, SharedEntry> = Object.create(null);
    const removed: Record<string, number> = Object.create(null);
    let dropped = 0;
    for (const [id, entry] of Object.entries(value.batches)) {
      const batch = isRecord(entry) ? entry.batch : undefined;
      // A whole batch, as the API layer checks its answers: later code reads its counts and dates.
      if (isRecord(entry) && isTime(entry.seenAt) && isBatchShape(batch) && (batch as MessageBatch).id === id) {
        batches[id] = { batch: batch as unknown as MessageBatch, seenAt: entry.seenAt };
      } else dropped++;
    }
    for (const [id, at] of Object.entries(isRecord(value.removed) ? value.removed : {})) {
      if (isTime(at)) removed[id] = at;
      else dropped++;
    }
    const line = dropped ? `poll coordination: ignoring ${dropped} entries of ${this.resultsPath} that cannot be trusted (from the future, malformed, or filed under another id).` : undefined;
    if (line && line !== this.resultsComplaint) this.log?.(line);
    this.resultsComplaint = line;
    return { version: 1, batches, removed };
  }

  private read(file: string): unknown {
    try {
      const stat = fs.statSync(file);
      if (!stat.isFile() || stat.size > MAX_SHARED_FILE_BYTES) {
        this.log?.(`poll coordination: ignoring ${file}: ${stat.isFile() ? `${stat.size} bytes, more than a shared poll file ever holds` : 'not a regular file'}.`);
        return undefined;
      }
      return JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      // Missing, or being replaced on a platform where that is not atomic, or garbage: no file.
      return undefined;
    }
  }

  /** Writes atomically (temp file + rename); false when the file system refused. */
  private write(file: string, value: unknown): boolean {
    const temp = `${file}.${this.windowId}.${process.pid}.${++this.writes}.tmp`;
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      fs.writeFileSync(temp, JSON.stringify(value));
      // Windows refuses to replace a file another process has open; it is open only briefly.
      for (let attempt = 0; ; attempt++) {
        try {
          fs.renameSync(temp, file);
          return true;
        } catch (err) {
          const code = (err as { code?: string }).code;
          if (attempt >= 3 || (code !== 'EPERM' && code !== 'EBUSY' && code !== 'EACCES')) throw err;
        }
      }
    } catch (err) {
      this.log?.(`poll coordination: cannot write ${file}: ${err instanceof Error ? err.message : String(err)}`);
      try {
        fs.unlinkSync(temp);
      } catch {
        // The temp file was never written.
      }
      return false;
    }
  }
}

const isRecord = isPlainObject;

/**
 * The shared files hold a lease and at most a day of in-flight batches: kilobytes. A larger file
 * is not one of ours (or is runaway); it is not read, since reading is synchronous on the poll path.
 */
const MAX_SHARED_FILE_BYTES = 4 * 1024 * 1024;

/** What is wrong with a lease read back from the file, or undefined when it can be trusted. */
function leaseProblem(value: unknown, now: number): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const lease = value as Record<string, unknown>;
  if (lease.version !== 1) return `version is ${JSON.stringify(lease.version)}, not 1`;
  if (typeof lease.holder !== 'string' || lease.holder === '') return 'holder is not a window id';
  if (typeof lease.until !== 'number' || !Number.isFinite(lease.until)) return 'until is not a time';
  if (lease.until > now + MAX_LEASE_MS) return `until is ${ahead(lease.until - now)} ahead, more than the ${ahead(MAX_LEASE_MS)} a lease may run`;
  if (lease.focused !== undefined && typeof lease.focused !== 'boolean') return 'focused is neither true nor false';
  if (lease.notBefore === undefined) return undefined;
  if (typeof lease.notBefore !== 'number' || !Number.isFinite(lease.notBefore)) return 'notBefore is not a time';
  if (lease.notBefore > now + MAX_SERVER_DELAY_MS) {
    return `notBefore is ${ahead(lease.notBefore - now)} ahead, more than the ${ahead(MAX_SERVER_DELAY_MS)} a server may make us wait`;
  }
  return undefined;
}

/** A span for a log line: "90 min", "20 days". */
function ahead(ms: number): string {
  if (ms < 48 * 3600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 86_400_000)} days`;
}
