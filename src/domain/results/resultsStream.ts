// Streaming a batch's results from the API into a file as they arrive. Memory holds about one
// megabyte of pending writes, whatever the number of results.
//
// Two ways in, chosen by what the source offers:
// - raw (preferred): the JSONL body as bytes. Lines are copied as the API sent them, blank lines
//   are dropped and counted, and a line that does not look like a JSON object is kept and counted
//   (the reader skips it later): one bad line costs that line only, and nothing is parsed twice.
// - decoder: the SDK's parsed results, written back one JSON line each. The SDK's decoder throws
//   on a blank or malformed line and the rest of the stream is lost with it; what arrived before
//   is kept and the download is reported incomplete ('malformed'), never complete.
import type { MessageBatch, MessageBatchIndividualResponse } from '../../api';
import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';
import { LineTooLongError, MAX_LINE_BYTES } from '../lineLimit';
import { totalRequests } from '../../common/requestCounts';
import { asBuffer, isBlank, LineSplitter, READ_CHUNK_BYTES, type LineHandler } from './lineReader';
import { openForWrite, type OpenForWrite, type WritableFile } from './writableFile';

/** What the archive needs from the API; `BatchesApi` provides `results`. */
export interface ResultsSource {
  results(batchId: string, options?: { signal?: AbortSignal }): Promise<{ batch: MessageBatch; results: AsyncIterable<MessageBatchIndividualResponse> }>;
  /**
   * The raw JSONL body of the results, when the source can give it: preferred over `results`,
   * because a blank or malformed line then costs that line instead of the rest of the stream.
   */
  resultsBody?(batchId: string, options?: { signal?: AbortSignal }): Promise<{ batch: MessageBatch; body: AsyncIterable<Uint8Array> }>;
}

export interface DownloadProgress {
  lines: number;
  total: number;
}

export interface StreamOptions {
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  /** Default 'auto': raw when the source offers it, else the decoder. */
  via?: 'auto' | 'raw' | 'decoder';
  /**
   * Called with each line as it is written, with its offset and 1-based line number in the file
   * (e.g. a ResultsSummarizer's `onLine`, to summarize while downloading). What it throws stops
   * the download and is thrown.
   */
  onLine?: LineHandler;
  /** How the file is opened (tests hand in a disk that fills up). */
  open?: OpenForWrite;
  /** Longest line held, in bytes (raw mode); a longer one stops the download. Default MAX_LINE_BYTES. */
  maxLineBytes?: number;
}

/** What to do about an overlong line in a results response. */
const streamLineAdvice = () => l10n.t('No result is that long, so the response is damaged; what arrived before that line is kept.');

/** Why a download is not complete. */
export type IncompleteReason =
  /** The connection broke or the server stopped mid-stream. */
  | 'cut'
  /** The user cancelled. */
  | 'aborted'
  /**
   * Decoder mode only: the SDK's decoder met a line it could not parse (the rest was lost), or a
   * result could not be written back as JSON (nested too deep; that one was left out).
   */
  | 'malformed'
  /** The stream ended cleanly but with fewer results than the batch counts. */
  | 'short'
  /** Writing the file failed (disk full, permissions). */
  | 'write';

export interface StreamedResults {
  batch: MessageBatch;
  /** Results written (non-blank lines). */
  lines: number;
  /** Requests in the batch, from its counts. */
  total: number;
  complete: boolean;
  reason?: IncompleteReason;
  /** What broke the stream, for describeError. */
  error?: unknown;
  via: 'raw' | 'decoder';
  /** Blank lines the API sent (dropped). */
  blankLines: number;
  /** Lines kept that do not look like one JSON object (raw mode); the reader skips them. */
  suspectLines: number;
  /** Bytes of an unfinished last line dropped when the stream broke. */
  droppedBytes: number;
}

const FLUSH_BYTES = 1024 * 1024;
const PROGRESS_EVERY = 1000;
const LF = 10;
const CR = 13;
const NEWLINE = Buffer.from('\n');

/**
 * Buffers writes into ~1 MB blocks. One block is written while the next one fills (the write of
 * block n is awaited only when block n+1 is ready), so disk writes overlap the network instead of
 * pausing it, and memory stays at two blocks.
 */
class FileSink {
  private parts: Buffer[] = [];
  private bytes = 0;
  private text: string[] = [];
  private textLength = 0;
  private inFlight: Promise<void> | undefined;
  /**
   * The first write that failed. Writes run one after another and none starts after a failure,
   * so the file then holds a prefix of what was meant for it (possibly ending inside a line).
   */
  failure: unknown;
  failed = false;

  constructor(private readonly handle: WritableFile) {}

  async add(buffer: Buffer): Promise<void> {
    this.parts.push(buffer);
    this.bytes += buffer.length;
    if (this.bytes >= FLUSH_BYTES) await this.flush(false);
  }

  async addText(text: string): Promise<void> {
    this.text.push(text);
    this.textLength += text.length;
    if (this.textLength >= FLUSH_BYTES) await this.flush(false);
  }

  /** Starts writing what is buffered; with `wait`, also waits until everything is on disk. */
  async flush(wait = true): Promise<void> {
    if (this.textLength > 0) {
      const block = Buffer.from(this.text.join(''), 'utf8');
      this.parts.push(block);
      this.bytes += block.length;
      this.text = [];
      this.textLength = 0;
    }
    if (this.parts.length > 0) {
      const parts = this.parts;
      const bytes = this.bytes;
      this.parts = [];
      this.bytes = 0;
      const previous = this.inFlight;
      this.inFlight = undefined;
      if (previous) await previous;
      this.inFlight = this.write(parts, bytes);
      // Reported by the next flush; never left unhandled meanwhile.
      this.inFlight.catch(() => undefined);
    }
    if (wait && this.inFlight) {
      const last = this.inFlight;
      this.inFlight = undefined;
      await last;
    }
  }

  private async write(parts: Buffer[], bytes: number): Promise<void> {
    try {
      await this.writeParts(parts, bytes);
    } catch (err) {
      if (!this.failed) [this.failed, this.failure] = [true, err];
      throw err;
    }
  }

  /** One writev of the parts (no copy); whatever a short write left is written from a copy. */
  private async writeParts(parts: Buffer[], bytes: number): Promise<void> {
    let written = (await this.handle.writev(parts)).bytesWritten;
    if (written >= bytes) return;
    const rest = Buffer.concat(parts).subarray(written);
    written = 0;
    while (written < rest.length) written += (await this.handle.write(rest, written, rest.length - written)).bytesWritten;
  }

  /** Waits for a write still in flight, ignoring its failure (the download already failed). */
  async settle(): Promise<void> {
    await this.inFlight?.catch(() => undefined);
    this.inFlight = undefined;
  }
}

/** Wraps what the onLine consumer threw, to tell it apart from a broken stream. */
class ConsumerError extends Error {
  constructor(readonly failure: unknown) {
    super(failure instanceof Error ? failure.message : String(failure));
    this.name = 'ConsumerError';
  }
}

class WriteError extends Error {
  constructor(readonly failure: unknown) {
    super(failure instanceof Error ? failure.message : String(failure));
    this.name = 'WriteError';
  }
}

async function guarded(write: Promise<void>): Promise<void> {
  try {
    await write;
  } catch (err) {
    throw err instanceof ConsumerError || err instanceof LineTooLongError ? err : new WriteError(err);
  }
}

/** Does a non-blank line look like one JSON object? First and last non-space bytes are braces. */
function looksLikeObject(buffer: Buffer, start: number, end: number): boolean {
  if (buffer[start] === 123 && (buffer[end - 1] === 125 || (buffer[end - 1] === CR && buffer[end - 2] === 125))) return true;
  while (start < end && (buffer[start] === 32 || buffer[start] === 9)) start++;
  while (end > start && (buffer[end - 1] === 32 || buffer[end - 1] === 9 || buffer[end - 1] === CR)) end--;
  return end - start >= 2 && buffer[start] === 123 && buffer[end - 1] === 125;
}

/**
 * Splits raw chunks into lines and hands runs of good lines to the sink without copying them.
 * Holds at most `maxLineBytes` of an unfinished line: a longer one throws LineTooLongError, which
 * ends the download (a response that never sends a newline must not fill memory).
 */
class RawLines {
  lines = 0;
  blankLines = 0;
  suspectLines = 0;
  private carry: Buffer[] = [];
  private carryBytes = 0;
  /** Where the next line written starts in the file. */
  private fileOffset = 0;

  constructor(
    private readonly sink: FileSink,
    private readonly onLine: LineHandler | undefined,
    private readonly maxLineBytes: number,
    private readonly where: string,
  ) {}

  /** Throws when a line of `bytes` (so far) is over the cap. */
  private limit(bytes: number): void {
    if (bytes > this.maxLineBytes) throw new LineTooLongError(this.where, this.lines + this.blankLines + 1, this.maxLineBytes, streamLineAdvice());
  }

  get partialBytes(): number {
    return this.carryBytes;
  }

  private count(buffer: Buffer, start: number, end: number): boolean {
    if (isBlank(buffer, start, end)) {
      this.blankLines++;
      return false;
    }
    this.lines++;
    if (!looksLikeObject(buffer, start, end)) this.suspectLines++;
    if (this.onLine) emit(this.onLine, buffer, start, end, this.fileOffset, this.lines);
    this.fileOffset += end - start + 1;
    return true;
  }

  async push(chunk: Uint8Array): Promise<void> {
    const buffer = asBuffer(chunk);
    const lastNl = buffer.lastIndexOf(LF);
    if (lastNl === -1) {
      this.limit(this.carryBytes + buffer.length);
      this.carry.push(Buffer.from(buffer));
      this.carryBytes += buffer.length;
      return;
    }
    let start = 0;
    if (this.carryBytes > 0) {
      // Finish the line that began in an earlier chunk.
      const nl = buffer.indexOf(LF);
      this.limit(this.carryBytes + nl);
      this.carry.push(buffer.subarray(0, nl));
      const line = Buffer.concat(this.carry, this.carryBytes + nl);
      this.carry = [];
      this.carryBytes = 0;
      if (this.count(line, 0, line.length)) {
        await this.sink.add(line);
        await this.sink.add(NEWLINE);
      }
      start = nl + 1;
    }
    // Whole lines [start, lastNl]: written as runs, cut only around blank lines.
    let runStart = start;
    let pos = start;
    while (pos <= lastNl) {
      const nl = buffer.indexOf(LF, pos);
      if (nl - pos > this.maxLineBytes) {
        // The lines before it were counted: write them before stopping.
        if (pos > runStart) await this.sink.add(buffer.subarray(runStart, pos));
        this.limit(nl - pos);
      }
      if (!this.count(buffer, pos, nl)) {
        if (pos > runStart) await this.sink.add(buffer.subarray(runStart, pos));
        runStart = nl + 1;
      }
      pos = nl + 1;
    }
    if (runStart <= lastNl) await this.sink.add(buffer.subarray(runStart, lastNl + 1));
    if (lastNl + 1 < buffer.length) {
      this.limit(buffer.length - lastNl - 1);
      // A copy, so that a few bytes do not keep the whole chunk alive (or change if it is reused).
      this.carry.push(Buffer.from(buffer.subarray(lastNl + 1)));
      this.carryBytes = buffer.length - lastNl - 1;
    }
  }

  /** The stream ended cleanly: a last line without "\n" is a whole line. */
  async end(): Promise<void> {
    if (this.carryBytes === 0) return;
    const line = Buffer.concat(this.carry, this.carryBytes);
    this.carry = [];
    this.carryBytes = 0;
    if (this.count(line, 0, line.length)) {
      await this.sink.add(line);
      await this.sink.add(NEWLINE);
    }
  }
}

function emit(onLine: LineHandler, buffer: Buffer, start: number, end: number, offset: number, line: number): void {
  try {
    onLine(buffer, start, end, offset, line);
  } catch (err) {
    throw new ConsumerError(err);
  }
}

/**
 * One decoded result as a JSON line, or undefined when it cannot be written: JSON.stringify
 * recurses, and a result nested deeper than the stack allows (JSON.parse reads any depth) throws.
 */
function jsonLineOf(result: MessageBatchIndividualResponse): string | undefined {
  try {
    return JSON.stringify(result);
  } catch (err) {
    if (err instanceof RangeError) return undefined;
    throw err;
  }
}

function reasonFor(err: unknown, signal: AbortSignal | undefined, via: 'raw' | 'decoder'): IncompleteReason {
  if (err instanceof WriteError) return 'write';
  if (signal?.aborted) return 'aborted';
  const name = err instanceof Error ? err.name : '';
  if (name === 'AbortError' || name === 'APIUserAbortError') return 'aborted';
  if (via === 'decoder' && err instanceof SyntaxError) return 'malformed';
  return 'cut';
}

/**
 * After a failed write, what the file really holds: its whole lines, counted, and the half line a
 * full disk may have cut at the end, removed. The counts made while buffering are no longer true.
 */
async function keepWholeLines(file: string): Promise<{ lines: number; suspectLines: number }> {
  let lines = 0;
  let suspectLines = 0;
  // Only lines ended by "\n" are handed over (end() is never called): the rest is the half line.
  const splitter = new LineSplitter((buffer, start, end) => {
    lines++;
    if (!looksLikeObject(buffer, start, end)) suspectLines++;
  });
  for await (const chunk of fs.createReadStream(file, { highWaterMark: READ_CHUNK_BYTES })) splitter.push(chunk as Buffer);
  if (splitter.partialBytes > 0) {
    const { size } = await fs.promises.stat(file);
    // Shrinking a file needs no free space.
    await fs.promises.truncate(file, size - splitter.partialBytes);
  }
  return { lines, suspectLines };
}

/**
 * Streams the results of `batchId` into `file` (created or truncated). Failures before the first
 * byte (the batch has not ended, auth, network) throw; a stream that breaks afterwards returns
 * `complete: false` with what arrived already in the file.
 */
export async function streamResultsToFile(source: ResultsSource, batchId: string, file: string, options: StreamOptions = {}): Promise<StreamedResults> {
  const via = options.via === 'decoder' || (options.via !== 'raw' && !source.resultsBody) ? 'decoder' : 'raw';
  if (via === 'raw' && !source.resultsBody) throw new Error(l10n.t('This results source cannot give the raw body.'));
  const signal = options.signal;
  const opened =
    via === 'raw'
      ? await source.resultsBody!(batchId, { signal }).then(({ batch, body }) => ({ batch, body, results: undefined }))
      : await source.results(batchId, { signal }).then(({ batch, results }) => ({ batch, results, body: undefined }));
  const batch = opened.batch;
  const total = totalRequests(batch);
  let handle: WritableFile;
  try {
    handle = await (options.open ?? openForWrite)(file);
  } catch (err) {
    // Nothing will read the response: let the connection go.
    await (opened.body ?? opened.results)?.[Symbol.asyncIterator]().return?.();
    throw err;
  }
  const sink = new FileSink(handle);
  const raw = new RawLines(sink, options.onLine, options.maxLineBytes ?? MAX_LINE_BYTES, l10n.t('The results of {0}', batchId));
  let decodedOffset = 0;
  let decoded = 0;
  let reported = 0;
  let onDisk: { lines: number; suspectLines: number } | undefined;
  const lines = () => onDisk?.lines ?? (via === 'raw' ? raw.lines : decoded);
  const progress = (force = false) => {
    const n = lines();
    if (force || n - reported >= PROGRESS_EVERY) {
      reported = n;
      options.onProgress?.({ lines: n, total });
    }
  };
  let error: unknown;
  let droppedBytes = 0;
  /** Decoded results that JSON.stringify could not write back (left out, the others kept). */
  let unwritable = 0;
  try {
    if (opened.body) {
      for await (const chunk of opened.body) {
        signal?.throwIfAborted();
        await guarded(raw.push(chunk));
        progress();
      }
      await guarded(raw.end());
    } else if (opened.results) {
      for await (const result of opened.results) {
        signal?.throwIfAborted();
        const json = jsonLineOf(result);
        if (json === undefined) {
          unwritable++;
          continue;
        }
        decoded++;
        if (options.onLine) {
          const bytes = Buffer.from(json, 'utf8');
          emit(options.onLine, bytes, 0, bytes.length, decodedOffset, decoded);
          decodedOffset += bytes.length + 1;
        }
        await guarded(sink.addText(`${json}\n`));
        progress();
      }
    }
  } catch (err) {
    error = err;
    droppedBytes = raw.partialBytes;
  }
  try {
    await sink.flush();
  } catch (err) {
    error ??= new WriteError(err);
  } finally {
    await sink.settle();
    await handle.close();
  }
  if (error instanceof ConsumerError) throw error.failure;
  if (sink.failed) {
    // Whatever else went wrong, the file is short because writing failed: that is the reason to
    // report (downloading again will not help until there is room), and the counts are redone
    // on what reached the disk.
    error = new WriteError(sink.failure);
    onDisk = await keepWholeLines(file);
  }
  progress(true);
  const n = lines();
  let reason: IncompleteReason | undefined = error === undefined ? undefined : reasonFor(error, signal, via);
  if (!reason && unwritable > 0) reason = 'malformed';
  if (!reason && n < total) reason = 'short';
  return {
    batch,
    lines: n,
    total,
    complete: reason === undefined,
    reason,
    error: error instanceof WriteError ? error.failure : error,
    via,
    blankLines: raw.blankLines,
    suspectLines: onDisk?.suspectLines ?? raw.suspectLines,
    droppedBytes,
  };
}
