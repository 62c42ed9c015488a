// Saving results as JSONL: all of them or one section, as the API sent them, or joined with their
// requests (`{custom_id, request, result}` per line) in the order of the source file. Streaming
// both ways: the join indexes the results file by byte range (ids and numbers only) and reads each
// result back as the source is walked in order, so neither file is ever held in memory.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MessageBatchIndividualResponse } from '../../api';
import { readRanges, type LineRange } from './lineReader';
import { inSection, parseSectionId, type SectionId } from './outcomes';
import { scanResults, type ResultsReadStats } from './resultsReader';
import { indexSource, type SourceIndex } from './sourceIndex';

export interface ExportOptions {
  /** The local results file. */
  resultsPath: string;
  /** Where to write (through a temp file renamed at the end). */
  output: string;
  /** Only this section ('errored', 'errored:api_error', 'expired', …). Default: everything. */
  section?: SectionId;
  /** Join each result with its request from this source file, in input order. */
  source?: string | SourceIndex;
  signal?: AbortSignal;
  onProgress?: (written: number) => void;
}

export interface ExportSummary {
  file: string;
  /** Lines written. */
  lines: number;
  /** Joined export: results whose custom_id the source lacks (written last, with `request: null`). */
  missingFromSource: number;
  /** Joined export: source requests without a result in the file (not written). */
  withoutResult: number;
  read: ResultsReadStats;
}

const FLUSH_BYTES = 1024 * 1024;

class OutputFile {
  private parts: string[] = [];
  private size = 0;
  lines = 0;

  private constructor(
    private readonly handle: fs.promises.FileHandle,
    readonly temp: string,
  ) {}

  static async open(output: string): Promise<OutputFile> {
    await fs.promises.mkdir(path.dirname(output), { recursive: true });
    const temp = `${output}.${process.pid}.part`;
    return new OutputFile(await fs.promises.open(temp, 'w'), temp);
  }

  /** Queues a line; the caller awaits flushIfFull() soon after (between chunks). */
  add(text: string): void {
    this.parts.push(text, '\n');
    this.size += text.length + 1;
    this.lines++;
  }

  async line(text: string): Promise<void> {
    this.add(text);
    await this.flushIfFull();
  }

  async flushIfFull(): Promise<void> {
    if (this.size >= FLUSH_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const block = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.size = 0;
    let written = 0;
    while (written < block.length) written += (await this.handle.write(block, written, block.length - written)).bytesWritten;
  }

  async commit(output: string): Promise<void> {
    await this.flush();
    await this.handle.close();
    await fs.promises.rename(this.temp, output);
  }

  async abandon(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await fs.promises.rm(this.temp, { force: true });
  }
}

/** Writes the results (or one section of them) to a JSONL file; see ExportOptions. */
export async function exportResults(options: ExportOptions): Promise<ExportSummary> {
  if (options.section !== undefined && !parseSectionId(options.section)) throw new Error(`Unknown results section: ${options.section}`);
  const out = await OutputFile.open(options.output);
  try {
    const summary = options.source === undefined ? await exportPlain(options, out) : await exportJoined(options, out, options.source);
    await out.commit(options.output);
    return { ...summary, file: options.output, lines: out.lines };
  } catch (err) {
    await out.abandon();
    throw err;
  }
}

const matches = (line: MessageBatchIndividualResponse, section: SectionId | undefined) => section === undefined || inSection(line.result, section);

/** Each readable result line as the API sent it, in the results file's order. */
async function exportPlain(options: ExportOptions, out: OutputFile): Promise<Omit<ExportSummary, 'file' | 'lines'>> {
  let reported = 0;
  const read = await scanResults(
    options.resultsPath,
    (line, where) => {
      if (matches(line, options.section)) out.add(where.text.endsWith('\r') ? where.text.slice(0, -1) : where.text);
    },
    {
      signal: options.signal,
      afterChunk: async () => {
        await out.flushIfFull();
        if (out.lines - reported >= 1000) options.onProgress?.((reported = out.lines));
      },
    },
  );
  options.onProgress?.(out.lines);
  return { missingFromSource: 0, withoutResult: 0, read };
}

/** `{custom_id, request, result}` per line, in input order; results the source lacks come last. */
async function exportJoined(options: ExportOptions, out: OutputFile, source: string | SourceIndex): Promise<Omit<ExportSummary, 'file' | 'lines'>> {
  const index = typeof source === 'string' ? await indexSource(source, { signal: options.signal }) : source;
  // Per input position, where its result is in the results file (offset and length); -1: none.
  const resultOffset = new Float64Array(index.size).fill(-1);
  const resultLength = new Uint32Array(index.size);
  const orphans: LineRange[] = [];
  let withResult = 0;
  const read = await scanResults(
    options.resultsPath,
    (line, where) => {
      const at = index.indexOf(line.custom_id);
      if (at === undefined) {
        if (matches(line, options.section)) orphans.push({ offset: where.offset, length: where.length });
        return;
      }
      if (resultOffset[at] < 0) withResult++;
      if (!matches(line, options.section)) return;
      resultOffset[at] = where.offset;
      resultLength[at] = where.length;
    },
    { signal: options.signal },
  );
  const order: number[] = [];
  for (let i = 0; i < index.size; i++) if (resultOffset[i] >= 0) order.push(i);
  // Read requests and results in batches of a few thousand: both reads are by byte range, so a
  // batch costs a few large reads however the results file is ordered.
  const BATCH = 2000;
  for (let from = 0; from < order.length; from += BATCH) {
    const slice = order.slice(from, from + BATCH);
    const requests: string[] = [];
    await index.readLines(slice, (bytes) => void requests.push(bytes.toString('utf8')), options.signal);
    const results = new Array<string>(slice.length);
    const ranges = slice.map((i, k) => ({ offset: resultOffset[i], length: resultLength[i], k }));
    ranges.sort((a, b) => a.offset - b.offset);
    await readRanges(options.resultsPath, ranges, (bytes, n) => void (results[ranges[n].k] = bytes.toString('utf8')), options.signal);
    for (let k = 0; k < slice.length; k++) {
      const request = JSON.parse(requests[k]) as { custom_id: string; params?: unknown };
      const result = JSON.parse(results[k]) as MessageBatchIndividualResponse;
      await out.line(JSON.stringify({ custom_id: result.custom_id, request: request.params ?? null, result: result.result }));
    }
    options.onProgress?.(out.lines);
  }
  await readRanges(
    options.resultsPath,
    orphans,
    async (bytes) => {
      const result = JSON.parse(bytes.toString('utf8')) as MessageBatchIndividualResponse;
      await out.line(JSON.stringify({ custom_id: result.custom_id, request: null, result: result.result }));
    },
    options.signal,
  );
  options.onProgress?.(out.lines);
  return { missingFromSource: orphans.length, withoutResult: index.size - withResult, read };
}
