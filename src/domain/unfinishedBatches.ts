import type { MessageBatch } from '../api';
import type { KeyValueStorage, SubmissionRecord } from './submissionRegistry';
import { isEnded } from '../common/batchStatus';

export const UNFINISHED_KEY = 'claudeBatches.unfinished';

/**
 * Whether a start may have batches to watch, in any account: some are remembered as unfinished,
 * or nothing was ever remembered (the first start of this version works it out from the
 * submissions). `keys` lists what the storage holds (each account keeps its own memory).
 */
export function mayHaveUnfinished(storage: Pick<KeyValueStorage, 'get'> & { keys?(): readonly string[] }, accounts?: ReadonlySet<string>): boolean {
  // Each account's memory is this key, `@<account id>` after it but for one (see accountData.ts,
  // not imported: activation parses this module); one of an account removed since (`accounts`
  // does not name it) has nothing to watch: nothing watches a removed account.
  const own = (k: string) => k === UNFINISHED_KEY || (k.startsWith(`${UNFINISHED_KEY}@`) && (!accounts || accounts.has(k.slice(UNFINISHED_KEY.length + 1))));
  const names = storage.keys?.().filter(own) ?? [UNFINISHED_KEY];
  if (names.length === 0) return true;
  return names.some((name) => {
    const kept = storage.get<Record<string, number>>(name);
    return kept === undefined || typeof kept !== 'object' || kept === null || Object.keys(kept).length > 0;
  });
}
/** No batch runs longer than 24 hours; past this, an entry never seen ending is dropped anyway. */
const FORGET_AFTER_MS = 30 * 24 * 60 * 60 * 1000;
/** A batch runs at most 24 hours (then it expires); a submission younger than this may still run. */
const MAX_RUN_MS = 25 * 60 * 60 * 1000;

/**
 * What this machine knows is not finished: the batches it submitted and the batches it saw in
 * flight, until it sees them end. Kept in global storage, so that the next start of VS Code knows
 * whether there is anything to watch (and an idle user pays no request at all).
 */
export class UnfinishedBatches {
  /** What was unfinished when VS Code started: those that ended while it was closed are announced. */
  readonly atStart: ReadonlySet<string>;

  constructor(
    private readonly storage: KeyValueStorage,
    submissions: () => readonly Pick<SubmissionRecord, 'batchId' | 'submittedAt'>[],
    private readonly now: () => number = Date.now,
  ) {
    const kept = storage.get<Record<string, number>>(UNFINISHED_KEY);
    // Before this memory existed only the submissions were kept: the recent ones may still run.
    const seeded = kept ?? Object.fromEntries(submissions().filter((r) => now() - Date.parse(r.submittedAt) < MAX_RUN_MS).map((r) => [r.batchId, Date.parse(r.submittedAt)]));
    const live = Object.fromEntries(Object.entries(seeded).filter(([, since]) => now() - since < FORGET_AFTER_MS));
    this.atStart = new Set(Object.keys(live));
    if (kept === undefined || Object.keys(live).length !== Object.keys(kept).length) void storage.update(UNFINISHED_KEY, live);
  }

  private all(): Record<string, number> {
    return this.storage.get<Record<string, number>>(UNFINISHED_KEY) ?? {};
  }

  /** The ids of the batches not yet seen ending. */
  ids(): string[] {
    return Object.keys(this.all());
  }

  has(batchId: string): boolean {
    return batchId in this.all();
  }

  /** Remembers what these batches showed: in flight ones are kept, ended ones let go. Writes only on a change. */
  async observe(batches: readonly Pick<MessageBatch, 'id' | 'processing_status'>[]): Promise<void> {
    const all = this.all();
    const next = { ...all };
    for (const b of batches) {
      if (isEnded(b)) delete next[b.id];
      else if (!(b.id in next)) next[b.id] = this.now();
    }
    if (!sameKeys(all, next)) await this.storage.update(UNFINISHED_KEY, next);
  }

  /** A batch just submitted: it is in flight. */
  async add(batchId: string): Promise<void> {
    if (!this.has(batchId)) await this.storage.update(UNFINISHED_KEY, { ...this.all(), [batchId]: this.now() });
  }

  /** A batch the API no longer knows: it will never be seen ending. */
  async forget(batchId: string): Promise<void> {
    const all = this.all();
    if (!(batchId in all)) return;
    const { [batchId]: _gone, ...rest } = all;
    await this.storage.update(UNFINISHED_KEY, rest);
  }
}

function sameKeys(a: Record<string, number>, b: Record<string, number>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => k in b);
}
