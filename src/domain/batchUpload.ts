import * as l10n from '@vscode/l10n';
import { createHash } from 'node:crypto';
import { BodySourceError } from '../api';
import { formatBytes, formatCount } from '../common/format';
import { batchLineAdvice, BatchValidator, DEFAULT_MAX_BYTES, DEFAULT_MAX_REQUESTS, splitLines, type AcceptedLine, type BatchValidation, type SplitOptions } from './jsonl';
import { LineTooLongError, MAX_LINE_BYTES } from './lineLimit';
import { readFileChunks, type ChunkOptions } from './regularFile';

/** Where a batch file's bytes come from; `open()` may be called once per pass. */
export interface BatchSource {
  open(): AsyncIterable<Uint8Array>;
}

/** One batch's share of a file: the request lines from `firstLine` to `lastLine` (1-based). */
export interface PartPlan {
  index: number;
  firstLine: number;
  lastLine: number;
  requests: number;
  /** Size of the request body this part makes: `{"requests":[…]}`. */
  bodyBytes: number;
  /**
   * sha256 of the file's first `hashedBytes` bytes, to notice the file changing between the
   * passes. The upload pass reads the file from its start anyway (to count lines), so it hashes
   * the same bytes as it goes, at no extra read.
   */
  sha256: string;
  /** How much of the file `sha256` covers: at least through the part's last line. */
  hashedBytes: number;
  /** The last part's hash covers the whole file (it is the scan's `contentHash`): the file must end there. */
  hashesWholeFile: boolean;
}

export interface BatchFileScan {
  /** Everything the validator found, except the per-batch limits (the plan splits for those). */
  validation: BatchValidation;
  /** sha256 of the file's exact bytes. */
  contentHash: string;
  /** One part when the file fits in one batch; several when it is over the limits. */
  parts: PartPlan[];
}

export interface PartLimits {
  maxRequests: number;
  maxBodyBytes: number;
  /** Longest line read, in bytes; a longer one is an error and reading stops. Default MAX_LINE_BYTES. */
  maxLineBytes?: number;
}

/**
 * A batch file on disk. Each pass opens it again, and refuses it (NotRegularFileError) unless it
 * is a regular file: a pipe or a device such as /dev/zero is never read.
 */
export function fileSource(file: string, options: ChunkOptions = {}): BatchSource {
  return { open: () => readFileChunks(file, options) };
}

const DEFAULT_PART_LIMITS: PartLimits = { maxRequests: DEFAULT_MAX_REQUESTS, maxBodyBytes: DEFAULT_MAX_BYTES };

const OPEN = Buffer.from('{"requests":[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}');
const LF = 10;

/** Thrown when the file changed between the check and the upload: the upload stops before it completes. */
export class SourceChangedError extends BodySourceError {
  constructor(detail: string, cause?: unknown) {
    super(l10n.t('The file changed while it was being submitted ({0}); nothing was submitted from it. Submit it again.', detail));
    this.name = 'SourceChangedError';
    if (cause !== undefined) this.cause = cause;
  }
}

/**
 * The first pass over a batch file: validates every line, hashes the bytes, and plans how to
 * split it into batches within the API's limits. Holds no request in memory.
 */
export async function scanBatchFile(source: BatchSource, limits: PartLimits = DEFAULT_PART_LIMITS): Promise<BatchFileScan> {
  // One hash over the file's bytes, read in chunks. A part's hash is a copy of its state where
  // the part's plan closed: by then the hash has taken every chunk up to the one holding the line
  // that did not fit, so it covers the part's lines (and a little more) without hashing them twice.
  const hash = createHash('sha256');
  let byteSize = 0;
  const parts: PartPlan[] = [];
  let current: PartPlan | undefined;
  const close = (atEnd = false) => {
    if (!current) return;
    current.sha256 = hash.copy().digest('hex');
    current.hashedBytes = byteSize;
    current.hashesWholeFile = atEnd;
    parts.push(current);
    current = undefined;
  };
  const validator = new BatchValidator({
    // The limits are the plan's business here: over them means more parts, not an error.
    maxRequests: Number.MAX_SAFE_INTEGER,
    maxBytes: Number.MAX_SAFE_INTEGER,
    onRequestLine: (line: AcceptedLine) => {
      if (current && (current.requests + 1 > limits.maxRequests || current.bodyBytes + 1 + line.bytes > limits.maxBodyBytes)) close();
      if (!current) {
        current = { index: parts.length, firstLine: line.line, lastLine: line.line, requests: 0, bodyBytes: OPEN.length + CLOSE.length, sha256: '', hashedBytes: 0, hashesWholeFile: false };
      } else {
        current.bodyBytes += 1; // the comma
      }
      current.lastLine = line.line;
      current.requests++;
      current.bodyBytes += line.bytes;
    },
  });
  try {
    const lines = splitLines(
      source.open(),
      (chunk) => {
        hash.update(chunk);
        byteSize += chunk.length;
      },
      { maxLineBytes: limits.maxLineBytes },
    );
    for await (const line of lines) validator.pushLine(line.text, line.byteLength, line.invalidUtf8);
  } catch (err) {
    // An error at its line, like any other: the file is refused with it, before anything is sent.
    if (!(err instanceof LineTooLongError)) throw err;
    validator.lineTooLong(err);
  }
  close(true);
  return { validation: validator.finish(byteSize), contentHash: hash.digest('hex'), parts };
}

/** Bytes a line's request text is trimmed of, as the validator trims it (see requestText). */
function isWsByte(b: number): boolean {
  return b === 32 || b === 9 || b === 13 || b === 10;
}

/** The request body is handed on in pieces of about this size: one network write per line would be slow. */
const BODY_PIECE_BYTES = 1024 * 1024;

/**
 * The request body for one part, streamed: `{"requests":[` + the part's lines exactly as written
 * (not parsed and serialised again) + `]}`. The lines were validated by the scan; here the bytes
 * the scan hashed for this part are hashed again as they are read, and the closing `]}` is sent
 * only when the hash matches the scan's, so a file changed in between never yields a complete
 * body (the API creates nothing).
 *
 * This pass works on the file's bytes: the scan already decoded and checked every line, so here a
 * line is only found (its "\n"), trimmed as the validator trims it (BOM on line 1, ASCII spaces,
 * tabs, CR) and copied, and the chunks read are hashed whole.
 */
export async function* partBody(source: BatchSource, part: PartPlan, options: SplitOptions = {}): AsyncGenerator<Uint8Array> {
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  const hash = createHash('sha256');
  const ready: Buffer[] = [];
  let out = Buffer.allocUnsafe(BODY_PIECE_BYTES);
  let used = 0;
  const put = (bytes: Uint8Array, start: number, end: number) => {
    while (start < end) {
      const n = Math.min(end - start, out.length - used);
      out.set(bytes.subarray(start, start + n), used);
      used += n;
      start += n;
      if (used === out.length) {
        ready.push(out);
        out = Buffer.allocUnsafe(BODY_PIECE_BYTES);
        used = 0;
      }
    }
  };
  put(OPEN, 0, OPEN.length);
  let lineNumber = 0;
  let sent = 0;
  /** One whole line, without its "\n": counted, and sent when it is one of the part's requests. */
  const line = (bytes: Buffer, start: number, end: number) => {
    lineNumber++;
    if (lineNumber < part.firstLine || lineNumber > part.lastLine) return;
    if (lineNumber === 1 && end - start >= 3 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf) start += 3;
    while (start < end && isWsByte(bytes[start])) start++;
    while (end > start && isWsByte(bytes[end - 1])) end--;
    if (start === end) return; // a blank line: the scan skipped it too
    if (sent > 0) put(COMMA, 0, 1);
    put(bytes, start, end);
    sent++;
  };
  const tooLong = () => new SourceChangedError(l10n.t('line {0} is now longer than the longest line allowed', formatCount(lineNumber + 1)), new LineTooLongError(undefined, lineNumber + 1, maxLineBytes, batchLineAdvice()));
  // The start of a line cut by a chunk boundary (copies: the producer may reuse its buffers).
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let read = 0;
  for await (const chunk of source.open()) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (read < part.hashedBytes) hash.update(read + bytes.length <= part.hashedBytes ? bytes : bytes.subarray(0, part.hashedBytes - read));
    read += bytes.length;
    if (lineNumber < part.lastLine) {
      let start = 0;
      let nl: number;
      while (lineNumber < part.lastLine && (nl = bytes.indexOf(LF, start)) !== -1) {
        if (carryBytes + nl - start > maxLineBytes) throw tooLong();
        if (carryBytes > 0) {
          carry.push(bytes.subarray(start, nl));
          const whole = Buffer.concat(carry, carryBytes + nl - start);
          carry = [];
          carryBytes = 0;
          line(whole, 0, whole.length);
        } else {
          line(bytes, start, nl);
        }
        start = nl + 1;
      }
      if (lineNumber < part.lastLine && start < bytes.length) {
        if (carryBytes + bytes.length - start > maxLineBytes) throw tooLong();
        carry.push(Buffer.from(bytes.subarray(start)));
        carryBytes += bytes.length - start;
      }
    }
    while (ready.length > 0) yield ready.shift()!;
    // Past the part's lines, reading goes on as far as the scan hashed (to the end for the last part).
    if (lineNumber >= part.lastLine && read >= part.hashedBytes && !part.hashesWholeFile) break;
  }
  if (lineNumber < part.lastLine && carryBytes > 0) line(Buffer.concat(carry, carryBytes), 0, carryBytes);
  if (sent !== part.requests) throw new SourceChangedError(l10n.t('expected {0} requests in lines {1}–{2}, read {3}', formatCount(part.requests), formatCount(part.firstLine), formatCount(part.lastLine), formatCount(sent)));
  if (read < part.hashedBytes) throw new SourceChangedError(l10n.t('it is now {0}, shorter than when it was checked', formatBytes(read)));
  if (part.hashesWholeFile && read > part.hashedBytes) throw new SourceChangedError(l10n.t('it is now {0}, longer than when it was checked', formatBytes(read)));
  if (hash.digest('hex') !== part.sha256) throw new SourceChangedError(l10n.t('its content is not what was checked'));
  put(CLOSE, 0, CLOSE.length);
  for (const piece of ready) yield piece;
  yield out.subarray(0, used);
}
