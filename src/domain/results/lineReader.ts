// Splitting JSONL bytes into lines without holding more than the current line. Lines are split
// on bytes ("\n" never occurs inside a multi-byte UTF-8 sequence), so a chunk may end anywhere,
// even inside a character. Handlers get a view into the chunk (no copy) plus the line's absolute
// byte offset, which the source index and the exports use to read a line again later. A line
// is held whole only up to MAX_LINE_BYTES: past that, reading stops with LineTooLongError.
// Files are opened only when they are regular files (not a pipe or a device that never ends).
import * as l10n from '@vscode/l10n';
import { LineTooLongError, MAX_LINE_BYTES } from '../lineLimit';
import { openRegularFile, readFileChunks } from '../regularFile';

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const OPEN_BRACE = 123;

/** Called once per line, without its "\n" (a "\r" before it is kept: callers decide). */
export type LineHandler = (buffer: Buffer, start: number, end: number, offset: number, lineNumber: number) => void;

export function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** True when bytes [start, end) hold only spaces, tabs and carriage returns (or nothing). */
export function isBlank(buffer: Buffer, start: number, end: number): boolean {
  // Almost every line starts with "{": answer that without a loop.
  if (end > start && buffer[start] === OPEN_BRACE) return false;
  for (let i = start; i < end; i++) {
    const c = buffer[i];
    if (c !== SPACE && c !== TAB && c !== CR) return false;
  }
  return true;
}

/** What to do about an overlong line of a results file, in the error that reports it. */
const resultsLineAdvice = (): string =>
  l10n.t('No result is that long: the file is damaged or is not a results file; download the results again.');

export interface SplitterOptions {
  /** Longest line held, in bytes (without its "\n"). Default MAX_LINE_BYTES. */
  maxLineBytes?: number;
  /** The file or stream, named in the error about an overlong line. */
  where?: string;
  advice?: string;
}

/**
 * Splits a byte stream into lines, calling the handler for each, including blank ones. Holds at
 * most `maxLineBytes` of an unfinished line: a longer line throws LineTooLongError.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Absolute offset of the next byte pushed. */
  private position = 0;
  private lineNumber = 0;
  private readonly maxLineBytes: number;

  constructor(
    private readonly onLine: LineHandler,
    private readonly options: SplitterOptions = {},
  ) {
    this.maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  }

  private tooLong(): LineTooLongError {
    return new LineTooLongError(this.options.where, this.lineNumber + 1, this.maxLineBytes, this.options.advice ?? resultsLineAdvice());
  }

  /** Bytes of an unfinished last line held so far. */
  get partialBytes(): number {
    return this.pendingBytes;
  }

  push(chunk: Uint8Array): void {
    const buffer = asBuffer(chunk);
    const base = this.position;
    this.position += buffer.length;
    let start = 0;
    let nl: number;
    while ((nl = buffer.indexOf(LF, start)) !== -1) {
      if (this.pendingBytes + nl - start > this.maxLineBytes) throw this.tooLong();
      if (this.pending.length > 0) {
        this.pending.push(buffer.subarray(start, nl));
        const length = this.pendingBytes + nl - start;
        const line = Buffer.concat(this.pending, length);
        this.pending = [];
        this.pendingBytes = 0;
        this.onLine(line, 0, line.length, base + nl - length, ++this.lineNumber);
      } else {
        this.onLine(buffer, start, nl, base + start, ++this.lineNumber);
      }
      start = nl + 1;
    }
    if (start < buffer.length) {
      if (this.pendingBytes + buffer.length - start > this.maxLineBytes) throw this.tooLong();
      // A copy: the producer may reuse its buffer for the next chunk.
      this.pending.push(Buffer.from(buffer.subarray(start)));
      this.pendingBytes += buffer.length - start;
    }
  }

  /** Hands over a last line that had no "\n" after it. */
  end(): void {
    if (this.pendingBytes === 0) return;
    const line = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.onLine(line, 0, line.length, this.position - line.length, ++this.lineNumber);
  }
}

export interface ReadLinesOptions {
  signal?: AbortSignal;
  /** Called with each raw chunk before it is split (e.g. to hash the file in the same pass). */
  onChunk?: (chunk: Buffer) => void;
  /** Awaited after each chunk's lines were handled (e.g. to write out what they produced). */
  afterChunk?: () => Promise<void>;
  /** Longest line read, in bytes. Default MAX_LINE_BYTES. */
  maxLineBytes?: number;
  /** What to do about a longer line, in the error (default: the advice for a results file). */
  advice?: string;
}

/** Big reads: one system call per MB instead of per 64 KB. */
export const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * Streams a regular file line by line (NotRegularFileError otherwise); memory holds one chunk and
 * one line at most, and a line longer than `maxLineBytes` stops the reading (LineTooLongError).
 */
export async function readLines(file: string, onLine: LineHandler, options: ReadLinesOptions = {}): Promise<void> {
  const splitter = new LineSplitter(onLine, { maxLineBytes: options.maxLineBytes, where: file, advice: options.advice });
  for await (const chunk of readFileChunks(file, { chunkBytes: READ_CHUNK_BYTES, signal: options.signal })) {
    options.onChunk?.(chunk);
    splitter.push(chunk);
    if (options.afterChunk) await options.afterChunk();
  }
  splitter.end();
  if (options.afterChunk) await options.afterChunk();
}

/** A byte range of a file: one line, without its newline. */
export interface LineRange {
  offset: number;
  length: number;
}

/** Blocks bigger than this are read on their own rather than merged with neighbours. */
const MERGE_LIMIT = 1024 * 1024;

/**
 * Reads the given byte ranges of a file, in the order given, calling `onRange` with each one's
 * bytes. Ranges close together are fetched with one read, so reading every line of a file this
 * way costs about as much as streaming it, and reading a few is a few small reads.
 */
export async function readRanges(
  file: string,
  ranges: readonly LineRange[],
  onRange: (bytes: Buffer, index: number) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  if (ranges.length === 0) return;
  const handle = await openRegularFile(file);
  try {
    let i = 0;
    while (i < ranges.length) {
      signal?.throwIfAborted();
      // Merge a run of ranges that follow each other closely in the file into one read.
      const first = ranges[i];
      let blockEnd = first.offset + first.length;
      let j = i + 1;
      while (j < ranges.length) {
        const next = ranges[j];
        if (next.offset < first.offset || next.offset - blockEnd > 4096) break;
        const end = Math.max(blockEnd, next.offset + next.length);
        if (end - first.offset > MERGE_LIMIT) break;
        blockEnd = end;
        j++;
      }
      const block = Buffer.allocUnsafe(blockEnd - first.offset);
      let read = 0;
      while (read < block.length) {
        const { bytesRead } = await handle.read(block, read, block.length - read, first.offset + read);
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      for (let k = i; k < j; k++) {
        const range = ranges[k];
        const from = range.offset - first.offset;
        if (from + range.length > read) throw new Error(l10n.t('{0} is shorter than expected: it changed while being read.', file));
        await onRange(block.subarray(from, from + range.length), k);
      }
      i = j;
    }
  } finally {
    await handle.close();
  }
}

/** Text of a line without a trailing "\r". */
export function lineText(buffer: Buffer, start: number, end: number): string {
  if (end > start && buffer[end - 1] === CR) end--;
  return buffer.toString('utf8', start, end);
}
