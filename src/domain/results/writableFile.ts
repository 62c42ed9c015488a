// The one way results code opens a file for writing. Every write is a promise (no stream events
// to miss), and tests can hand in a file that fails the way a full disk does: a short write, then
// ENOSPC.
import * as fs from 'node:fs';

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

/** Writes all of `block` (a short write is continued until the block is on disk or a write throws). */
export async function writeAll(file: WritableFile, block: Buffer): Promise<void> {
  let written = 0;
  while (written < block.length) written += (await file.write(block, written, block.length - written)).bytesWritten;
}

/** Writes a whole small file through `open`; a failed write removes what it created. */
export async function writeWholeFile(open: OpenForWrite, file: string, text: string): Promise<void> {
  const handle = await open(file);
  try {
    await writeAll(handle, Buffer.from(text, 'utf8'));
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

const WRITE_FAILURES: Record<string, string> = {
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of its path is a file, not a folder',
  ENOENT: 'its folder does not exist',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the disk is read-only',
  ENOSPC: 'no space left on the disk',
  EDQUOT: 'the disk quota is used up',
  ENOTEMPTY: 'a folder of that name is there',
  EEXIST: 'a folder of that name is there',
};

/** A failed save, said for a person: which file, why, what to do. The system error is the cause. */
export class SaveFailedError extends Error {
  constructor(
    readonly file: string,
    readonly failure: unknown,
  ) {
    const code = (failure as NodeJS.ErrnoException | undefined)?.code;
    const why = (code && WRITE_FAILURES[code]) ?? (failure instanceof Error ? failure.message : String(failure));
    super(`Cannot save to ${file}: ${why}${code && WRITE_FAILURES[code] ? ` (${code})` : ''}. Choose another file${code === 'ENOSPC' || code === 'EDQUOT' ? ' or free some space' : ''}, then save again.`, { cause: failure });
    this.name = 'SaveFailedError';
  }
}
