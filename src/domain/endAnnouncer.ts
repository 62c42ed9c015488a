import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MessageBatch } from '../api';
import { outcomeSummary } from '../common/requestCounts';
import type { KeyValueStorage } from './submissionRegistry';
import { isEnded } from '../common/batchStatus';

export const ANNOUNCED_ENDS_KEY = 'claudeBatches.announcedEnds';
/** Announced ids are forgotten after this long; the API forgets the batches' results by then too. */
const KEEP_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Decides which ended batches to announce, once each: across restarts (a batch that ended while
 * VS Code was closed is announced on the next start, not every start) and across windows
 * (the record is in global storage, shared by every window on the machine).
 */
export class EndAnnouncer {
  constructor(
    private readonly storage: KeyValueStorage,
    private readonly now: () => number = Date.now,
    /** Claims the announcement of a batch for this window; false when another window has it. */
    private readonly claim: (batchId: string) => Promise<boolean> = async () => true,
  ) {}

  private announced(): Record<string, number> {
    return this.storage.get<Record<string, number>>(ANNOUNCED_ENDS_KEY) ?? {};
  }

  /**
   * The batches to announce now, marked as announced before returning. `watched` are batches
   * seen in flight in this session; `mine` says which batches this machine submitted (those are
   * announced even when they ended while VS Code was closed).
   */
  async take(ended: readonly MessageBatch[], watched: (id: string) => boolean, mine: (id: string) => boolean): Promise<MessageBatch[]> {
    const announced = this.announced();
    const fresh = ended.filter(
      (b) => isEnded(b) && !(b.id in announced) && (watched(b.id) || mine(b.id)) && !b.archived_at,
    );
    if (fresh.length === 0) return [];
    const now = this.now();
    const kept = Object.fromEntries(Object.entries(announced).filter(([, at]) => now - at < KEEP_MS));
    for (const b of fresh) kept[b.id] = now;
    await this.storage.update(ANNOUNCED_ENDS_KEY, kept);
    const claimed: MessageBatch[] = [];
    for (const b of fresh) if (await this.claim(b.id)) claimed.push(b);
    return claimed;
  }
}

/**
 * Claims as files in a folder every window of the machine shares: creating a file is atomic, so
 * two windows that start together (their global storage not yet in step) announce a batch once.
 * Claims older than the announcements' memory are let go on the first claim of a session.
 */
export function fileClaims(folder: string | (() => string), now: () => number = Date.now): (batchId: string) => Promise<boolean> {
  // A folder per account: the one in use when the claim is made (tidied once per folder).
  const tidied = new Set<string>();
  return async (batchId) => {
    const dir = typeof folder === 'string' ? folder : folder();
    await fs.promises.mkdir(dir, { recursive: true });
    if (!tidied.has(dir)) {
      tidied.add(dir);
      for (const name of await fs.promises.readdir(dir)) {
        const file = path.join(dir, name);
        const stat = await fs.promises.stat(file).catch(() => undefined);
        if (stat && now() - stat.mtimeMs > KEEP_MS) await fs.promises.rm(file, { force: true });
      }
    }
    try {
      await fs.promises.writeFile(path.join(dir, batchId.replace(/[^A-Za-z0-9_-]/g, '_')), '', { flag: 'wx' });
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  };
}

/**
 * `"prompts.jsonl" ended: 980 succeeded, 15 errored, 5 expired`; with several accounts, the one
 * the batch ran in: `"prompts.jsonl" ended in the account "Personal": …`.
 */
export function endSummary(label: string, batch: MessageBatch, account?: string): string {
  const counts = outcomeSummary(batch.request_counts, 'words');
  return account ? l10n.t('"{0}" ended in the account "{1}": {2}', label, account, counts) : l10n.t('"{0}" ended: {1}', label, counts);
}
