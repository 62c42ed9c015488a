import * as fs from 'node:fs';
import * as path from 'node:path';
import { HttpError } from './errors';
import { derivedId } from './ids';
import { timingMode, type BatchRecord } from './lifecycle';
import { planRequest, type RequestPlan } from './outcomes';
import type { BatchRequestInput, ForcedOutcome, Timing } from './types';

// Owns the batches, their ordering for list paging, and the state file.

const STATE_VERSION = 1;

interface StateFile {
  version: number;
  clockOffsetMs: number;
  lastSeq: number;
  requestSeq: number;
  batches: BatchRecord[];
  /** Deleted batches, kept as cursors so list paging with their ids still works: [id, createdAt, seq]. */
  tombstones: [string, number, number][];
}

export interface NewBatch {
  createdAt: number;
  timing: Timing;
  cancelLatencyMs: number;
  apiVersion: string;
  outcomes?: Record<string, ForcedOutcome>;
}

interface SortKey {
  createdAt: number;
  seq: number;
}

/** Negative when a is newer than b (list order is newest first). */
function newerFirst(a: SortKey, b: SortKey): number {
  return b.createdAt - a.createdAt || b.seq - a.seq;
}

export interface ListPage {
  data: BatchRecord[];
  hasMore: boolean;
}

export class BatchStore {
  private readonly batches = new Map<string, BatchRecord>();
  private readonly tombstones = new Map<string, SortKey>();
  private sorted: BatchRecord[] | undefined;
  private lastSeq = 0;
  private requestSeq = 0;
  /** Added to the base clock; persisted so a restarted emulator keeps its advanced time. */
  clockOffsetMs = 0;

  constructor(
    private readonly seed: number,
    private readonly statePath?: string,
  ) {}

  nextRequestId(): string {
    return derivedId('req_', this.seed, 'request', ++this.requestSeq);
  }

  private nextBatchId(): { id: string; seq: number } {
    for (;;) {
      const seq = ++this.lastSeq;
      const id = derivedId('msgbatch_', this.seed, 'batch', seq);
      if (!this.batches.has(id) && !this.tombstones.has(id)) return { id, seq };
    }
  }

  create(requests: BatchRequestInput[], spec: NewBatch): BatchRecord {
    const { mode, rate } = timingMode(spec.timing);
    const plans: RequestPlan[] = new Array(requests.length);
    for (let i = 0; i < requests.length; i++) {
      const { custom_id, params } = requests[i];
      plans[i] = planRequest(custom_id, params, spec.apiVersion, spec.outcomes?.[custom_id]);
    }
    const { id, seq } = this.nextBatchId();
    const record: BatchRecord = {
      id,
      seq,
      createdAt: spec.createdAt,
      mode,
      rate,
      progressAt: spec.createdAt,
      progressCount: mode === 'instant' ? plans.length : 0,
      cancelLatencyMs: Math.max(0, spec.cancelLatencyMs),
      cancelAt: null,
      cancelFrozen: null,
      cancelEndAt: null,
      plans,
    };
    this.batches.set(id, record);
    this.sorted = undefined;
    return record;
  }

  get(id: string): BatchRecord | undefined {
    return this.batches.get(id);
  }

  /** Throws the API's 404 for an unknown id. */
  require(id: string): BatchRecord {
    const record = this.batches.get(id);
    if (!record) throw new HttpError(404, `No message batch found with id '${id}'.`, 'not_found_error');
    return record;
  }

  delete(id: string): void {
    const record = this.batches.get(id);
    if (!record) return;
    this.batches.delete(id);
    this.tombstones.set(id, { createdAt: record.createdAt, seq: record.seq });
    this.sorted = undefined;
  }

  clear(): void {
    this.batches.clear();
    this.tombstones.clear();
    this.sorted = undefined;
  }

  /** Back to a fresh emulator: no batches, and ids start over (the clock offset stays). */
  reset(): void {
    this.clear();
    this.lastSeq = 0;
    this.requestSeq = 0;
  }

  /** Newest first: by created_at, then creation order. */
  all(): BatchRecord[] {
    this.sorted ??= [...this.batches.values()].sort(newerFirst);
    return this.sorted;
  }

  /** One list page. Cursors may name deleted batches: their position is remembered. */
  page(limit: number, afterId?: string, beforeId?: string): ListPage {
    const all = this.all();
    if (afterId !== undefined) {
      const key = this.cursor(afterId, 'after_id');
      const start = all.findIndex((b) => newerFirst(b, key) > 0);
      if (start < 0) return { data: [], hasMore: false };
      return { data: all.slice(start, start + limit), hasMore: start + limit < all.length };
    }
    if (beforeId !== undefined) {
      const key = this.cursor(beforeId, 'before_id');
      let end = all.findIndex((b) => newerFirst(b, key) >= 0);
      if (end < 0) end = all.length;
      const start = Math.max(0, end - limit);
      return { data: all.slice(start, end), hasMore: start > 0 };
    }
    return { data: all.slice(0, limit), hasMore: limit < all.length };
  }

  private cursor(id: string, param: string): SortKey {
    const key = this.batches.get(id) ?? this.tombstones.get(id);
    if (!key) throw new HttpError(400, `${param}: no message batch with id '${id}'`, 'invalid_request_error');
    return key;
  }

  // ---- persistence ----

  /** Loads the state file if there is one. A file that cannot be read as state is an error, not a reset. */
  load(): void {
    if (!this.statePath || !fs.existsSync(this.statePath)) return;
    const text = fs.readFileSync(this.statePath, 'utf8');
    let state: StateFile;
    try {
      state = JSON.parse(text) as StateFile;
    } catch (err) {
      throw new Error(`emulator state file ${this.statePath} is not valid JSON: ${(err as Error).message}`, { cause: err });
    }
    if (state.version !== STATE_VERSION || !Array.isArray(state.batches)) {
      throw new Error(`emulator state file ${this.statePath} has an unknown format (version ${String(state.version)})`);
    }
    this.clear();
    for (const record of state.batches) this.batches.set(record.id, record);
    for (const [id, createdAt, seq] of state.tombstones ?? []) this.tombstones.set(id, { createdAt, seq });
    this.lastSeq = state.lastSeq ?? this.batches.size;
    this.requestSeq = state.requestSeq ?? 0;
    this.clockOffsetMs = state.clockOffsetMs ?? 0;
  }

  /** Writes the whole state to a temporary file, then renames it over the state file. */
  save(): void {
    if (!this.statePath) return;
    const state: StateFile = {
      version: STATE_VERSION,
      clockOffsetMs: this.clockOffsetMs,
      lastSeq: this.lastSeq,
      requestSeq: this.requestSeq,
      batches: [...this.batches.values()],
      tombstones: [...this.tombstones].map(([id, k]) => [id, k.createdAt, k.seq]),
    };
    fs.mkdirSync(path.dirname(this.statePath), { recursive: true });
    const temp = `${this.statePath}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(state));
    fs.renameSync(temp, this.statePath);
  }
}
