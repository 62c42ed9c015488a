import * as l10n from '@vscode/l10n';
import { LineTooLongError, MAX_LINE_BYTES } from '../lineLimit';
import { describeInvalidBytes, firstInvalidUtf8 } from './utf8';

const LF = 10;

/** Where a line's bytes stop being valid UTF-8. */
export interface InvalidUtf8 {
  /** 0-based offset in the line's bytes of the first invalid sequence. */
  byte: number;
  /** 0-based offset in `text` (UTF-16 code units) where that sequence's replacement character is. */
  index: number;
  /** The offending bytes, e.g. "0xFF" or "0xE2 0x82". */
  bytes: string;
}

/** One line of a byte stream, without its "\n" (a "\r" before it is kept: the validator handles it). */
export interface RawLine {
  text: string;
  byteLength: number;
  /** Set when the bytes are not valid UTF-8 (`text` then holds U+FFFD in their place). */
  invalidUtf8?: InvalidUtf8;
}

export interface SplitOptions {
  /** Longest line accepted, in bytes (without its "\n"). Default MAX_LINE_BYTES. */
  maxLineBytes?: number;
}

/** What to do about an overlong line of a batch file, in the error that reports it. */
export const batchLineAdvice = (): string =>
  l10n.t('No request can be that long (the API takes at most 32 MB per request): check that this is a JSONL batch file, one request per line.');

function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

function rawLine(buffer: Buffer, start: number, end: number): RawLine {
  const text = buffer.toString('utf8', start, end);
  // Decoding puts U+FFFD where bytes are invalid: a line without one is valid (the search is much
  // cheaper than checking the bytes). A line with one is checked byte by byte, since the file may
  // hold a real U+FFFD.
  if (text.indexOf('\uFFFD') === -1) return { text, byteLength: end - start };
  const byte = firstInvalidUtf8(buffer, start, end);
  if (byte === -1) return { text, byteLength: end - start };
  // The bytes before the first invalid sequence are valid: their decoded length is its column.
  const index = buffer.toString('utf8', start, start + byte).length;
  return { text, byteLength: end - start, invalidUtf8: { byte, index, bytes: describeInvalidBytes(buffer, start + byte, end) } };
}

/**
 * Splits a byte stream into lines. "\n" never occurs inside a multi-byte UTF-8 sequence, so chunk
 * boundaries anywhere, even inside a character, are safe; only the current line is held, and
 * never more than `maxLineBytes` of it: a longer line throws LineTooLongError (which closes the
 * stream) instead of growing without bound. `onChunk` sees every chunk as it arrives (for hashing
 * the exact bytes).
 */
export async function* splitLines(chunks: AsyncIterable<Uint8Array>, onChunk?: (chunk: Buffer) => void, options: SplitOptions = {}): AsyncGenerator<RawLine> {
  const max = options.maxLineBytes ?? MAX_LINE_BYTES;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lineNumber = 0;
  const tooLong = () => new LineTooLongError(undefined, lineNumber + 1, max, batchLineAdvice());
  for await (const chunk of chunks) {
    const buffer = asBuffer(chunk);
    onChunk?.(buffer);
    let start = 0;
    let nl: number;
    while ((nl = buffer.indexOf(LF, start)) !== -1) {
      if (pendingBytes + nl - start > max) throw tooLong();
      if (pending.length > 0) {
        pending.push(buffer.subarray(start, nl));
        const line = Buffer.concat(pending, pendingBytes + nl - start);
        pending = [];
        pendingBytes = 0;
        lineNumber++;
        yield rawLine(line, 0, line.length);
      } else {
        lineNumber++;
        yield rawLine(buffer, start, nl);
      }
      start = nl + 1;
    }
    if (start < buffer.length) {
      if (pendingBytes + buffer.length - start > max) throw tooLong();
      // A copy: the producer may reuse its buffer for the next chunk.
      pending.push(Buffer.from(buffer.subarray(start)));
      pendingBytes += buffer.length - start;
    }
  }
  if (pendingBytes > 0) {
    const line = Buffer.concat(pending, pendingBytes);
    yield rawLine(line, 0, line.length);
  }
}
