import { createHash } from 'node:crypto';
import { BodySourceError } from '../api';
import { BatchValidator, DEFAULT_MAX_BYTES, DEFAULT_MAX_REQUESTS, requestText, splitLines, type AcceptedLine, type BatchValidation, type SplitOptions } from './jsonl';
import { LineTooLongError } from './lineLimit';
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
  /** sha256 of the part's request lines as sent, to notice the file changing between passes. */
  sha256: string;
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

/** Thrown when the file changed between the check and the upload: the upload stops before it completes. */
export class SourceChangedError extends BodySourceError {
  constructor(detail: string, cause?: unknown) {
    super(`The file changed while it was being submitted (${detail}); nothing was submitted from it. Submit it again.`);
    this.name = 'SourceChangedError';
    if (cause !== undefined) this.cause = cause;
  }
}

/**
 * The first pass over a batch file: validates every line, hashes the bytes, and plans how to
 * split it into batches within the API's limits. Holds no request in memory.
 */
export async function scanBatchFile(source: BatchSource, limits: PartLimits = DEFAULT_PART_LIMITS): Promise<BatchFileScan> {
  const hash = createHash('sha256');
  const parts: PartPlan[] = [];
  let current: { part: PartPlan; hash: ReturnType<typeof createHash> } | undefined;
  const close = () => {
    if (!current) return;
    current.part.sha256 = current.hash.digest('hex');
    parts.push(current.part);
    current = undefined;
  };
  const validator = new BatchValidator({
    // The limits are the plan's business here: over them means more parts, not an error.
    maxRequests: Number.MAX_SAFE_INTEGER,
    maxBytes: Number.MAX_SAFE_INTEGER,
    onRequestLine: (line: AcceptedLine) => {
      const bytes = Buffer.byteLength(line.json);
      if (current && (current.part.requests + 1 > limits.maxRequests || current.part.bodyBytes + 1 + bytes > limits.maxBodyBytes)) close();
      if (!current) {
        current = {
          part: { index: parts.length, firstLine: line.line, lastLine: line.line, requests: 0, bodyBytes: OPEN.length + CLOSE.length, sha256: '' },
          hash: createHash('sha256'),
        };
      } else {
        current.part.bodyBytes += 1; // the comma
      }
      current.part.lastLine = line.line;
      current.part.requests++;
      current.part.bodyBytes += bytes;
      current.hash.update(line.json).update('\n');
    },
  });
  let byteSize = 0;
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
  close();
  return { validation: validator.finish(byteSize), contentHash: hash.digest('hex'), parts };
}

/**
 * The request body for one part, streamed: `{"requests":[` + the part's lines exactly as written
 * (not parsed and serialised again) + `]}`. The lines were validated by the scan; here each part
 * is hashed again as it streams, and the closing `]}` is sent only when the hash matches the
 * scan's, so a file changed in between never yields a complete body (the API creates nothing).
 */
export async function* partBody(source: BatchSource, part: PartPlan, options: SplitOptions = {}): AsyncGenerator<Uint8Array> {
  // Lines are gathered into chunks of about this size: one network write per line would be slow.
  const CHUNK_BYTES = 256 * 1024;
  let pending: Buffer[] = [OPEN];
  let pendingBytes = OPEN.length;
  const add = (bytes: Buffer) => {
    pending.push(bytes);
    pendingBytes += bytes.length;
  };
  const take = (): Buffer => {
    const chunk = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    return chunk;
  };
  const hash = createHash('sha256');
  let lineNumber = 0;
  let sent = 0;
  try {
    for await (const line of splitLines(source.open(), undefined, options)) {
      lineNumber++;
      if (lineNumber < part.firstLine) continue;
      const json = requestText(line.text, lineNumber);
      if (json !== '') {
        hash.update(json).update('\n');
        if (sent > 0) add(COMMA);
        add(Buffer.from(json));
        sent++;
        if (pendingBytes >= CHUNK_BYTES) yield take();
      }
      if (lineNumber >= part.lastLine) break;
    }
  } catch (err) {
    // The scan read every line within the cap: a longer one now means the file changed.
    if (err instanceof LineTooLongError) throw new SourceChangedError(`line ${err.line} is now longer than the longest line allowed`, err);
    throw err;
  }
  if (sent !== part.requests) throw new SourceChangedError(`expected ${part.requests} requests in lines ${part.firstLine}–${part.lastLine}, read ${sent}`);
  if (hash.digest('hex') !== part.sha256) throw new SourceChangedError('its content is not what was checked');
  add(CLOSE);
  yield take();
}
