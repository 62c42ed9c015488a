// Save Results as CSV for a batch built from data: one row per data record, in the data's order,
// with the data's own columns followed by how its request ended. A record that was left out when
// the batch was built (a bad row) has outcome "not_sent".
//
// Results come in any order, and the data can only be read in its own order, so the join is made
// in two sequential passes with bounded memory, never one read per result:
//   1. The results files are streamed once. Each line's custom_id is read from its first bytes
//      (the API writes it first; any other line is parsed), turned into its record's position by
//      the link's custom_ids, and the line is appended to the temp file of that position's
//      partition: consecutive records whose results add up to about PARTITION_BYTES.
//   2. The data is read again in order; on entering a partition, its temp file is read whole and
//      indexed by position (typed arrays), and each row parses its own result, once.
// Besides the link's custom_ids (and a map of them to positions), memory holds one partition and
// a few buffers, whatever the number of rows; the temp files are removed as they are used, and
// whatever stops the save.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MessageBatchIndividualResponse } from '../../api';
import { openRegularFile } from '../regularFile';
import { makeParentFolder, writingTo } from '../results/writableFile';
import { isBlank, LineSplitter, READ_CHUNK_BYTES } from '../results/lineReader';
import { errorMessageOf, errorTypeOf, isResultLine } from '../results/outcomes';
import { csvRow } from './csvText';
import { fieldText, type DataSource } from './dataRecord';
import type { SourceLink } from './sourceLink';

export const RESULT_COLUMNS = ['outcome', 'text', 'error_type', 'error_message', 'stop_reason', 'input_tokens', 'output_tokens'] as const;

export interface ResultsCsvOptions {
  /** The local results files: one, or each part of a file Submit split into several batches. */
  resultsPaths: string[];
  link: SourceLink;
  /** The data, read again (it must be the data the link names). */
  source: DataSource;
  output: string;
  signal?: AbortSignal;
  /** Bytes of result lines per partition (tests make it small). Default PARTITION_BYTES. */
  partitionBytes?: number;
  /**
   * A partition larger than this (skewed result sizes: a few records with most of the text) is
   * read line by line from its file, not held whole. Default MAX_PARTITION_IN_MEMORY.
   */
  maxPartitionInMemory?: number;
  /**
   * Where the partitions are written. Default a hidden folder beside the output: the disk that
   * will hold the CSV, not the system's temp folder (often memory, often small).
   */
  tempDir?: string;
}

export interface ResultsCsvSummary {
  rows: number;
  withResult: number;
  /** Records sent whose result is not in the results file (yet). */
  withoutResult: number;
  notSent: number;
  /** Results whose custom_id no record has (the data changed?). */
  unmatchedResults: number;
}

/** Bytes of rows written at a time. */
const WRITE_BYTES = 1024 * 1024;
/** Bytes of result lines per partition: what pass 2 holds in memory at once. */
const PARTITION_BYTES = 4 * 1024 * 1024;
/** Each partition's append buffer. */
const APPEND_BYTES = 64 * 1024;
/** A line in a partition file: its record's position and its length (two uint32), then its bytes. */
const FRAME_BYTES = 8;
/** The most of one partition held in memory at once; a larger one is read from its file as needed. */
const MAX_PARTITION_IN_MEMORY = 32 * 1024 * 1024;
/** Bytes read at a time when a large partition's frames are listed. */
const SCAN_BYTES = 1024 * 1024;

/** The text of a succeeded message: its text blocks joined. */
function messageText(result: Result): string {
  if (result.type !== 'succeeded') return '';
  const content = (result.message as { content?: unknown }).content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((b): b is { type: 'text'; text: string } => typeof b === 'object' && b !== null && (b as { type?: unknown }).type === 'text' && typeof (b as { text?: unknown }).text === 'string')
    .map((b) => b.text)
    .join('\n');
}

function resultCells(result: Result | undefined, notSent: boolean): string[] {
  if (notSent) return ['not_sent', '', '', '', '', '', ''];
  if (!result) return ['no_result', '', '', '', '', '', ''];
  const message = result.type === 'succeeded' ? (result.message as { stop_reason?: unknown; usage?: { input_tokens?: unknown; output_tokens?: unknown } }) : undefined;
  const number = (v: unknown) => (typeof v === 'number' ? String(v) : '');
  return [
    result.type,
    messageText(result),
    result.type === 'errored' ? errorTypeOf(result) : '',
    result.type === 'errored' ? errorMessageOf(result) : '',
    typeof message?.stop_reason === 'string' ? message.stop_reason : '',
    number(message?.usage?.input_tokens),
    number(message?.usage?.output_tokens),
  ];
}

/** The result columns' names, prefixed where the data already has a column of that name. */
export function resultColumnNames(dataColumns: readonly string[]): string[] {
  const taken = new Set(dataColumns);
  return RESULT_COLUMNS.map((name) => {
    let out = name as string;
    while (taken.has(out)) out = `result_${out}`;
    return out;
  });
}

type Result = MessageBatchIndividualResponse['result'];

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const ID_PREFIX = Buffer.from('{"custom_id":"', 'latin1');

/** The custom_id of a result line: read from its first bytes when it starts as the API writes it, else parsed (undefined when it is no result). */
function customIdOf(buffer: Buffer, start: number, end: number): string | undefined {
  if (end - start > ID_PREFIX.length && buffer.compare(ID_PREFIX, 0, ID_PREFIX.length, start, start + ID_PREFIX.length) === 0) {
    const from = start + ID_PREFIX.length;
    for (let i = from; i < end && i - from <= 64; i++) {
      const c = buffer[i];
      if (c === QUOTE) {
        if (i > from) return buffer.toString('latin1', from, i);
        break;
      }
      if (c === BACKSLASH || c >= 0x80) break;
    }
  }
  return parsedResult(buffer, start, end)?.custom_id;
}

function parsedResult(buffer: Buffer, start: number, end: number): MessageBatchIndividualResponse | undefined {
  let value: unknown;
  try {
    value = JSON.parse(buffer.toString('utf8', start, end));
  } catch {
    return undefined;
  }
  return isResultLine(value) ? value : undefined;
}

/** Temp files of result lines, one per partition, each appended through its own small buffer. */
class Partitions {
  private readonly buffers = new Map<number, { data: Buffer; used: number }>();
  private queued: { part: number; data: Buffer }[] = [];
  /** Append buffers written out, for reuse (no fresh buffer per 64 KiB of results). */
  private readonly free: Buffer[] = [];
  private reading: Buffer = Buffer.alloc(0);

  constructor(private readonly dir: string) {}

  private file(part: number): string {
    return path.join(this.dir, `${part}.part`);
  }

  /** Adds a line for record `record` to partition `part` (written by the next `drain`). */
  append(part: number, record: number, line: Buffer, start: number, end: number): void {
    const length = end - start;
    let buffer = this.buffers.get(part);
    if (buffer && buffer.used + FRAME_BYTES + length > buffer.data.length) {
      this.queued.push({ part, data: buffer.data.subarray(0, buffer.used) });
      buffer = undefined;
      this.buffers.delete(part);
    }
    if (!buffer) {
      const data = FRAME_BYTES + length <= APPEND_BYTES ? (this.free.pop() ?? Buffer.allocUnsafe(APPEND_BYTES)) : Buffer.allocUnsafe(FRAME_BYTES + length);
      buffer = { data, used: 0 };
      this.buffers.set(part, buffer);
    }
    buffer.data.writeUInt32LE(record, buffer.used);
    buffer.data.writeUInt32LE(length, buffer.used + 4);
    buffer.used += FRAME_BYTES + line.copy(buffer.data, buffer.used + FRAME_BYTES, start, end);
  }

  /** Writes the full buffers, in the order they filled (so each file keeps the results' order). */
  async drain(): Promise<void> {
    const queued = this.queued;
    this.queued = [];
    for (const { part, data } of queued) {
      await fs.promises.appendFile(this.file(part), data);
      if (data.buffer.byteLength === APPEND_BYTES && data.byteOffset === 0) this.free.push(Buffer.from(data.buffer, 0, APPEND_BYTES));
    }
  }

  /** Writes what every buffer holds. */
  async finish(): Promise<void> {
    for (const [part, buffer] of this.buffers) this.queued.push({ part, data: buffer.data.subarray(0, buffer.used) });
    this.buffers.clear();
    await this.drain();
  }

  /**
   * A partition's lines by record, its file removed once read (none: no line). Up to `maxInMemory`
   * bytes they are read into one buffer reused from partition to partition (what `take` returned
   * before is let go); a larger partition stays in its file, each line read when it is asked for.
   */
  async take(part: number, first: number, size: number, maxInMemory: number): Promise<PartitionIndex> {
    const file = this.file(part);
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new PartitionIndex(first, size, EMPTY_LINES);
      throw err;
    }
    let kept = false;
    try {
      const { size: bytes } = await handle.stat();
      if (bytes > maxInMemory) {
        const index = new PartitionIndex(first, size, fileLines(handle, file));
        await index.scanFile(handle, bytes);
        kept = true;
        return index;
      }
      if (this.reading.length < bytes) this.reading = Buffer.allocUnsafe(bytes);
      const data = await readAt(handle, this.reading.subarray(0, bytes), 0);
      const index = new PartitionIndex(first, size, bufferLines(data));
      index.scanBuffer(data);
      return index;
    } finally {
      if (!kept) {
        await handle.close();
        await fs.promises.rm(file, { force: true });
      }
    }
  }
}

/** Fills `into` from `position` of the file (less at its end): the part filled. */
async function readAt(handle: fs.promises.FileHandle, into: Buffer, position: number): Promise<Buffer> {
  let read = 0;
  while (read < into.length) {
    const { bytesRead } = await handle.read(into, read, into.length - read, position + read);
    if (bytesRead === 0) break;
    read += bytesRead;
  }
  return into.subarray(0, read);
}

/** Where a partition's lines are read from: its bytes in memory, or its file. */
interface PartitionLines {
  /** The line whose frame starts at `at` and holds `length` bytes. */
  line(at: number, length: number): Buffer | Promise<Buffer>;
  /** Lets go of the file, if any (the partition is done). */
  close(): Promise<void>;
}

const EMPTY_LINES: PartitionLines = { line: () => Buffer.alloc(0), close: async () => undefined };

function bufferLines(data: Buffer): PartitionLines {
  return { line: (at, length) => data.subarray(at + FRAME_BYTES, at + FRAME_BYTES + length), close: async () => undefined };
}

function fileLines(handle: fs.promises.FileHandle, file: string): PartitionLines {
  return {
    line: (at, length) => readAt(handle, Buffer.allocUnsafe(length), at + FRAME_BYTES),
    async close() {
      await handle.close().catch(() => undefined);
      await fs.promises.rm(file, { force: true });
    },
  };
}

/** One partition's lines by record: the frame of each record's last line, and of earlier ones when it has several. */
class PartitionIndex {
  /** Per record of the partition, where its last line's frame starts (-1: none) and its length. */
  private readonly last: Float64Array;
  private readonly lastLength: Int32Array;
  private readonly earlier = new Map<number, [at: number, length: number][]>();

  constructor(
    private readonly first: number,
    size: number,
    private readonly lines: PartitionLines,
  ) {
    this.last = new Float64Array(size).fill(-1);
    this.lastLength = new Int32Array(size);
  }

  private add(record: number, at: number, length: number): void {
    const local = record - this.first;
    if (local < 0 || local >= this.last.length) return;
    const previous = this.last[local];
    if (previous !== -1) {
      const list = this.earlier.get(local);
      const entry: [number, number] = [previous, this.lastLength[local]];
      if (list) list.push(entry);
      else this.earlier.set(local, [entry]);
    }
    this.last[local] = at;
    this.lastLength[local] = length;
  }

  /** Lists the frames of a partition held in memory. */
  scanBuffer(data: Buffer): void {
    for (let at = 0; at + FRAME_BYTES <= data.length; at += FRAME_BYTES + data.readUInt32LE(at + 4)) this.add(data.readUInt32LE(at), at, data.readUInt32LE(at + 4));
  }

  /** Lists the frames of a partition left in its file, a block at a time (its lines are skipped, not read). */
  async scanFile(handle: fs.promises.FileHandle, bytes: number): Promise<void> {
    const block = Buffer.allocUnsafe(SCAN_BYTES);
    let position = 0;
    while (position + FRAME_BYTES <= bytes) {
      const { bytesRead } = await handle.read(block, 0, Math.min(SCAN_BYTES, bytes - position), position);
      if (bytesRead < FRAME_BYTES) break;
      let at = 0;
      while (at + FRAME_BYTES <= bytesRead) {
        const length = block.readUInt32LE(at + 4);
        this.add(block.readUInt32LE(at), position + at, length);
        at += FRAME_BYTES + length;
      }
      // The next frame starts at `at` (within the next block, or past a long line skipped whole).
      position += at;
    }
  }

  /** The result of record `record` whose custom_id is `id`: its last line that is a result with that id. */
  async result(record: number, id: string): Promise<Result | undefined> {
    const local = record - this.first;
    if (local < 0 || local >= this.last.length || this.last[local] === -1) return undefined;
    const earlier = this.earlier.get(local) ?? [];
    // The last line first, then the earlier ones from the latest back.
    for (let k = earlier.length; k >= 0; k--) {
      const [at, length] = k === earlier.length ? [this.last[local], this.lastLength[local]] : earlier[k];
      const line = await this.lines.line(at, length);
      const parsed = parsedResult(line, 0, line.length);
      if (parsed && parsed.custom_id === id) return parsed.result;
    }
    return undefined;
  }

  close(): Promise<void> {
    return this.lines.close();
  }
}

export async function writeResultsCsv(options: ResultsCsvOptions): Promise<ResultsCsvSummary> {
  const { link, signal } = options;
  const ids = link.customIds;
  // custom_id → the record's position (the link's ids are unique: the builder made them so).
  const recordOf = new Map<string, number>();
  ids.forEach((id, i) => {
    if (id && !recordOf.has(id)) recordOf.set(id, i);
  });
  let resultsBytes = 0;
  for (const file of options.resultsPaths) resultsBytes += (await fs.promises.stat(file)).size;
  const partitionBytes = options.partitionBytes ?? PARTITION_BYTES;
  const maxInMemory = options.maxPartitionInMemory ?? MAX_PARTITION_IN_MEMORY;
  // Records per partition, for about `partitionBytes` of result lines each.
  const perPartition = Math.max(1, resultsBytes === 0 ? ids.length : Math.floor((ids.length * partitionBytes) / resultsBytes));
  const partitionOf = (record: number) => Math.floor(record / perPartition);
  const summary: ResultsCsvSummary = { rows: 0, withResult: 0, withoutResult: 0, notSent: 0, unmatchedResults: 0 };
  /** Results whose custom_id no record has. */
  const strangers = new Set<string>();

  // Failures to write (the CSV, or the partitions staged beside it) are about the target, and
  // said as such; failures to read the results or the data are not.
  const writing = <T>(operation: () => Promise<T>): Promise<T> => writingTo(options.output, operation);
  await writing(() => makeParentFolder(options.output));
  const scratch = await writing(() => fs.promises.mkdtemp(path.join(options.tempDir ?? path.dirname(options.output), `.${path.basename(options.output)}.staging-`)));
  const temp = `${options.output}.${process.pid}.part`;
  let handle: fs.promises.FileHandle | undefined;
  /** The partition pass 2 is in (its file, when it is read from there, closed when it is left). */
  let current: PartitionIndex | undefined;
  try {
    // Pass 1: each result line to its partition.
    const partitions = new Partitions(scratch);
    const onLine = (buffer: Buffer, start: number, end: number) => {
      if (isBlank(buffer, start, end)) return;
      const id = customIdOf(buffer, start, end);
      if (id === undefined) return;
      const record = recordOf.get(id);
      if (record !== undefined) partitions.append(partitionOf(record), record, buffer, start, end);
      else if (parsedResult(buffer, start, end)) strangers.add(id);
    };
    // One read buffer for every chunk: each line is copied out of it (to its partition, or by the
    // splitter when it continues into the next chunk) before the next read.
    const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    for (const file of options.resultsPaths) {
      const splitter = new LineSplitter(onLine, { where: file });
      const results = await openRegularFile(file);
      try {
        for (;;) {
          signal?.throwIfAborted();
          const { bytesRead } = await results.read(chunk, 0, chunk.length, null);
          if (bytesRead === 0) break;
          splitter.push(chunk.subarray(0, bytesRead));
          await writing(() => partitions.drain());
        }
        splitter.end();
      } finally {
        await results.close();
      }
    }
    await writing(() => partitions.finish());

    // Pass 2: the data in order, each partition read when its first record comes.
    handle = await writing(() => fs.promises.open(temp, 'w'));
    const out = handle;
    // Rows are encoded into one reused block, written when full (no joined string, no buffer per write).
    let block = Buffer.allocUnsafe(WRITE_BYTES);
    let used = 0;
    const flush = async () => {
      let written = 0;
      while (written < used) written += (await writing(() => out.write(block, written, used - written))).bytesWritten;
      used = 0;
      if (block.length > WRITE_BYTES) block = Buffer.allocUnsafe(WRITE_BYTES);
    };
    /** Makes room for a row of `chars` UTF-16 units: the block is written out first when it could not hold it. */
    const room = async (chars: number) => {
      await flush();
      if (chars * 3 > block.length) block = Buffer.allocUnsafe(chars * 3);
    };
    const header = csvRow([...link.columns, ...resultColumnNames(link.columns)]);
    await room(header.length);
    used += block.write(header, used, 'utf8');
    let currentPart = -1;
    const enter = async (part: number) => {
      while (currentPart < part) {
        currentPart++;
        await current?.close();
        current = undefined;
        const first = currentPart * perPartition;
        current = await partitions.take(currentPart, first, Math.max(0, Math.min(perPartition, ids.length - first)), maxInMemory);
      }
    };
    let read = 0;
    for await (const item of options.source.records(signal)) {
      const record = item.number - 1;
      read = Math.max(read, item.number);
      const id = ids[record];
      let result: Result | undefined;
      if (id) {
        await enter(partitionOf(record));
        result = await current?.result(record, id);
      }
      const data = item.kind === 'record' ? link.columns.map((c) => fieldText(item.get(c) ?? '')) : link.columns.map(() => '');
      const row = csvRow([...data, ...resultCells(result, !id)]);
      if (used + row.length * 3 > block.length) await room(row.length);
      used += block.write(row, used, 'utf8');
      summary.rows++;
      if (!id) summary.notSent++;
      else if (result) summary.withResult++;
      else summary.withoutResult++;
    }
    await flush();
    const closing = handle;
    handle = undefined;
    await writing(() => closing.close());

    // Results of records the data no longer has (it changed since the build) are unmatched too.
    let unmatched = strangers.size;
    for (let record = read; record < ids.length; record++) {
      const id = ids[record];
      if (!id) continue;
      await enter(partitionOf(record));
      if (await current?.result(record, id)) unmatched++;
    }
    await current?.close();
    current = undefined;
    summary.unmatchedResults = unmatched;
    await writing(() => fs.promises.rename(temp, options.output));
    return summary;
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await fs.promises.rm(temp, { force: true });
    throw err;
  } finally {
    await current?.close();
    await fs.promises.rm(scratch, { recursive: true, force: true });
  }
}
