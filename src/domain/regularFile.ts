// Opening a file that is about to be read to its end. Only a regular file has an end: a named
// pipe blocks the open until something writes to it, and a device such as /dev/zero (or a
// symlink to one) never ends, so reading it would fill memory or hang. The check is made on the
// opened descriptor, not on the path before opening, so the file cannot be swapped in between.
import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';
import { formatBytes } from '../common/format';

/** The path is not a regular file: nothing was read from it. */
export class NotRegularFileError extends Error {
  constructor(
    readonly path: string,
    readonly kind: string,
  ) {
    super(l10n.t('{0} is not a regular file (it is {1}): only a regular file can be read here, since this one might never end. Choose the file itself.', path, kind));
    this.name = 'NotRegularFileError';
  }
}

function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return l10n.t('a directory');
  if (stat.isFIFO()) return l10n.t('a named pipe');
  if (stat.isCharacterDevice()) return l10n.t('a character device');
  if (stat.isBlockDevice()) return l10n.t('a block device');
  if (stat.isSocket()) return l10n.t('a socket');
  return l10n.t('not a plain file');
}

/**
 * Opens `file` for reading when it is a regular file (symlinks followed), else throws
 * NotRegularFileError without reading. Never blocks on a named pipe: it is opened non-blocking.
 */
export async function openRegularFile(file: string): Promise<fs.promises.FileHandle> {
  // O_NONBLOCK does not exist on Windows, where opening does not block on these either.
  const handle = await fs.promises.open(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new NotRegularFileError(file, kindOf(stat));
    return handle;
  } catch (err) {
    await handle.close();
    throw err;
  }
}

export interface ChunkOptions {
  /** Bytes per read. Default 1 MiB. */
  chunkBytes?: number;
  signal?: AbortSignal;
}

/**
 * A regular file's bytes, in chunks of `chunkBytes` (each a fresh buffer the reader may keep).
 * The file is opened on the first iteration and closed when the iteration ends, however it ends.
 */
export async function* readFileChunks(file: string, options: ChunkOptions = {}): AsyncGenerator<Buffer> {
  const size = options.chunkBytes ?? 1024 * 1024;
  options.signal?.throwIfAborted();
  const handle = await openRegularFile(file);
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      const buffer = Buffer.allocUnsafe(size);
      const { bytesRead } = await handle.read(buffer, 0, size, null);
      if (bytesRead === 0) return;
      yield bytesRead === size ? buffer : buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** A file read whole would be over its bound: nothing past the bound was read. */
export class FileTooLargeError extends Error {
  constructor(
    readonly path: string,
    readonly maxBytes: number,
  ) {
    super(l10n.t('{0} is over {1}, more than it can hold here: it was not read.', path, formatBytes(maxBytes)));
    this.name = 'FileTooLargeError';
  }
}

/**
 * A small regular file, read whole: a pipe or a device is refused (NotRegularFileError), and a
 * file over `maxBytes` (FileTooLargeError), checked again while reading since it may grow.
 */
export async function readRegularFile(file: string, maxBytes: number): Promise<Buffer> {
  const handle = await openRegularFile(file);
  try {
    if ((await handle.stat()).size > maxBytes) throw new FileTooLargeError(file, maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buffer = Buffer.allocUnsafe(Math.min(1024 * 1024, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return Buffer.concat(chunks, total);
      total += bytesRead;
      if (total > maxBytes) throw new FileTooLargeError(file, maxBytes);
      chunks.push(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
}
