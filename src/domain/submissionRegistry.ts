import * as l10n from '@vscode/l10n';
import { formatCount } from '../common/format';
import { Emitter, type Event } from './events';
import { DisposableObject } from './lifecycle';

/** Key-value storage the registry persists to (VS Code's globalState in the extension). */
export interface KeyValueStorage {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** What this machine remembers about a batch it submitted: the API does not keep any of it. */
export interface SubmissionRecord {
  batchId: string;
  /** Absolute path of the source file, when it was a file. */
  sourcePath?: string;
  /** What the user recognises: the file name. */
  label: string;
  /** sha256 of the exact bytes submitted, hex. */
  contentHash: string;
  requestCount: number;
  byteSize: number;
  /** ISO time the submission started. */
  submittedAt: string;
  models: string[];
  /** Host name and workspace folder it was submitted from. */
  machine?: string;
  workspace?: string;
  /** The batch this one retries, if any. */
  parentBatchId?: string;
  /** How the batch was found after an ambiguous failure, if it was. */
  adopted?: boolean;
  /** A file over one batch's limits is sent as several batches: which one this is. */
  group?: { id: string; part: number; parts: number; label: string };
}

/**
 * The label a part of a split file is recorded under. Records are global state, read by every
 * window whatever its display language, so the label is stored the same in every language (like
 * the file's name) and worded in the display language when shown (recordLabel).
 */
export function storedPartLabel(file: string, part: number, parts: number): string {
  // not translated: stored in the record (see above); recordLabel words it when shown
  return `${file} (part ${part} of ${parts})`;
}

/** `big.jsonl (part 2 of 3)` in the display language. */
export function partWords(file: string, part: number, parts: number): string {
  return l10n.t('{0} (part {1} of {2})', file, formatCount(part), formatCount(parts));
}

/** What a record's batch is called, in the display language: a part's label is worded when shown. */
export function recordLabel(record: Pick<SubmissionRecord, 'label' | 'group'>): string {
  const g = record.group;
  return g && record.label === storedPartLabel(g.label, g.part, g.parts) ? partWords(g.label, g.part, g.parts) : record.label;
}

/** What a batch is called: its record's label in the display language, else its id. */
export function batchName(record: Pick<SubmissionRecord, 'label' | 'group'> | undefined, batchId: string): string {
  return record ? recordLabel(record) : batchId;
}

export const SUBMISSIONS_KEY = 'claudeBatches.submissions';

/**
 * The local memory of submitted batches: source file, content hash, submit time. Persisted in
 * VS Code's global storage, so every window and workspace on this machine sees it.
 */
export class SubmissionRegistry extends DisposableObject {
  private readonly changed = this.register(new Emitter<SubmissionRecord>());
  readonly onDidChange: Event<SubmissionRecord> = this.changed.event;

  constructor(private readonly storage: KeyValueStorage) {
    super();
  }

  private all(): Record<string, SubmissionRecord> {
    return this.storage.get<Record<string, SubmissionRecord>>(SUBMISSIONS_KEY) ?? {};
  }

  get(batchId: string): SubmissionRecord | undefined {
    return this.all()[batchId];
  }

  /** Earlier submissions of exactly the same content, newest first. */
  findByHash(contentHash: string): SubmissionRecord[] {
    return Object.values(this.all())
      .filter((r) => r.contentHash === contentHash)
      .sort((a, b) => b.submittedAt.localeCompare(a.submittedAt));
  }

  /** Every record, newest first. */
  list(): SubmissionRecord[] {
    return Object.values(this.all()).sort((a, b) => b.submittedAt.localeCompare(a.submittedAt));
  }

  has(batchId: string): boolean {
    return batchId in this.all();
  }

  async record(record: SubmissionRecord): Promise<void> {
    await this.storage.update(SUBMISSIONS_KEY, { ...this.all(), [record.batchId]: record });
    this.changed.fire(record);
  }

  async forget(batchId: string): Promise<void> {
    await this.forgetAll([batchId]);
  }

  /** Forgets several records in one write. */
  async forgetAll(batchIds: Iterable<string>): Promise<void> {
    const all = { ...this.all() };
    let changed = false;
    for (const id of batchIds) {
      if (!(id in all)) continue;
      delete all[id];
      changed = true;
    }
    if (changed) await this.storage.update(SUBMISSIONS_KEY, all);
  }
}
