// The one way results code opens a file for writing. Every write is a promise (no stream events
// to miss), and tests can hand in a file that fails the way a full disk does: a short write, then
// ENOSPC.
import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** What the results code needs of an open file: the part of fs.promises.FileHandle it uses. */
export interface WritableFile {
  write(buffer: Buffer, offset: number, length: number): Promise<{ bytesWritten: number }>;
  writev(buffers: Buffer[]): Promise<{ bytesWritten: number }>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

/** Opens (creating or truncating) a file for writing. */
export type OpenForWrite = (file: string) => Promise<WritableFile>;

export const openForWrite: OpenForWrite = (file) => fs.promises.open(file, 'w');

/**
 * Makes the folder `file` goes in. A file where a folder of its path should be is said as such:
 * recursive mkdir reports it as EEXIST, which reads as if the target itself were taken.
 */
export async function makeParentFolder(file: string): Promise<void> {
  try {
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    throw Object.assign(new Error((err as Error).message), { code: 'ENOTDIR' });
  }
}

/** Writes all of `block` (a short write is continued until the block is on disk or a write throws). */
export async function writeAll(file: WritableFile, block: Buffer): Promise<void> {
  let written = 0;
  while (written < block.length) written += (await file.write(block, written, block.length - written)).bytesWritten;
}

/** Writes a whole small file (text as UTF-8) through `open`; a failed write removes what it created. */
export async function writeWholeFile(open: OpenForWrite, file: string, text: string | Buffer): Promise<void> {
  const handle = await open(file);
  try {
    await writeAll(handle, typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
  } catch (err) {
    await handle.close().catch(() => undefined);
    await fs.promises.rm(file, { force: true });
    throw err;
  }
  try {
    await handle.close();
  } catch (err) {
    await fs.promises.rm(file, { force: true });
    throw err;
  }
}

const WRITE_FAILURES: Record<string, () => string> = {
  EISDIR: () => l10n.t('it is a folder'),
  ENOTDIR: () => l10n.t('a part of its path is a file, not a folder'),
  ENOENT: () => l10n.t('its folder does not exist'),
  EACCES: () => l10n.t('permission denied'),
  EPERM: () => l10n.t('permission denied'),
  EROFS: () => l10n.t('the disk is read-only'),
  ENOSPC: () => l10n.t('no space left on the disk'),
  EDQUOT: () => l10n.t('the disk quota is used up'),
  ENOTEMPTY: () => l10n.t('a folder of that name is there'),
  EEXIST: () => l10n.t('a folder of that name is there'),
};

/** A failed save, said for a person: which file, why, what to do. The system error is the cause. */
export class SaveFailedError extends Error {
  constructor(
    readonly file: string,
    readonly failure: unknown,
  ) {
    const code = (failure as NodeJS.ErrnoException | undefined)?.code;
    // Own keys only: the code comes from the system, and could be named after anything.
    const known = code && Object.hasOwn(WRITE_FAILURES, code) ? WRITE_FAILURES[code]() : undefined;
    const why = known ?? (failure instanceof Error ? failure.message : String(failure));
    super(l10n.t('Cannot save to {0}: {1}{2}. Choose another file{3}, then save again.', file, why, known ? ` (${code})` : '', code === 'ENOSPC' || code === 'EDQUOT' ? l10n.t(' or free some space') : ''), { cause: failure });
    this.name = 'SaveFailedError';
  }
}

/** Runs a write to `output` (or to its temp or staging files): a failure is said as one to save there. */
export async function writingTo<T>(output: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    throw err instanceof SaveFailedError ? err : new SaveFailedError(output, err);
  }
}
