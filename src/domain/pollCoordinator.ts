import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MessageBatch } from '../api';

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
    const lease = this.readLease();
    const notBefore = Math.max(lease?.notBefore ?? 0, request.notBefore ?? 0);
    const free =
      !lease ||
      lease.until <= this.clock.now() ||
      lease.holder === this.windowId ||
      request.force === true ||
      (request.focused && !lease.focused);
    if (!free) return { leader: false, notBefore };
    const written = this.write(this.leasePath, {
      version: 1,
      holder: this.windowId,
      until: request.until,
      focused: request.focused,
      notBefore,
    } satisfies LeaseFile);
    if (!written) return { leader: true, notBefore };
    // Two windows may have written at once: the rename that came last won.
    const check = this.readLease();
    return { leader: !check || check.holder === this.windowId, notBefore };
  }

  publish(update: { at: number; batches: readonly MessageBatch[]; removed?: readonly string[] }): void {
    const file = this.readResults() ?? { version: 1, batches: {}, removed: {} };
    const recent = update.at - SHARED_RETENTION_MS;
    for (const batch of update.batches) {
      const endedAt = batch.ended_at ? Date.parse(batch.ended_at) : NaN;
      const interesting = batch.processing_status !== 'ended' || !(endedAt < recent) || batch.id in file.batches;
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

  private readLease(): LeaseFile | undefined {
    const value = this.read(this.leasePath) as Partial<LeaseFile> | undefined;
    if (!value || value.version !== 1 || typeof value.holder !== 'string' || typeof value.until !== 'number') return undefined;
    return {
      version: 1,
      holder: value.holder,
      until: value.until,
      focused: value.focused === true,
      notBefore: typeof value.notBefore === 'number' ? value.notBefore : 0,
    };
  }

  private readResults(): ResultsFile | undefined {
    const value = this.read(this.resultsPath) as Partial<ResultsFile> | undefined;
    if (!value || value.version !== 1 || typeof value.batches !== 'object' || !value.batches) return undefined;
    const removed = typeof value.removed === 'object' && value.removed ? value.removed : {};
    return { version: 1, batches: value.batches, removed };
  }

  private read(file: string): unknown {
    try {
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
