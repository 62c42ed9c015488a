// Saving results as JSONL: all of them or one section, as the API sent them, or joined with their
// requests (`{custom_id, request, result}` per line) in the order of the source file. Streaming
// both ways: the join indexes the results file by byte range (ids and numbers only) and reads each
// result back as the source is walked in order, so neither file is ever held in memory.
import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';
import type { MessageBatchIndividualResponse } from '../../api';
import { formatCount } from '../../common/format';
import { readRanges, type LineRange } from './lineReader';
import { inSection, parseSectionId, type SectionId } from './outcomes';
import { scanResults, type ResultsReadStats } from './resultsReader';
import { indexSource, type SourceIndex } from './sourceIndex';
import { makeParentFolder, openForWrite, writeAll, writingTo, type OpenForWrite, type WritableFile } from './writableFile';

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
const LF = 10;
const NEWLINE = Buffer.from('\n');

/** The file being saved: written through a temp file beside it; every failure to write is a SaveFailedError. */
class OutputFile {
  private parts: string[] = [];
  private size = 0;
  lines = 0;

  private constructor(
    private readonly handle: fs.promises.FileHandle,
    readonly temp: string,
    private readonly output: string,
  ) {}

  static async open(output: string): Promise<OutputFile> {
    await writingTo(output, () => makeParentFolder(output));
    const temp = `${output}.${process.pid}.part`;
    return new OutputFile(await writingTo(output, () => fs.promises.open(temp, 'w')), temp, output);
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
    await writingTo(this.output, () => writeAll(this.handle, block));
  }

  async commit(): Promise<void> {
    await this.flush();
    await writingTo(this.output, () => this.handle.close());
    await writingTo(this.output, () => fs.promises.rename(this.temp, this.output));
  }

  async abandon(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await fs.promises.rm(this.temp, { force: true });
  }
}

/** Writes the results (or one section of them) to a JSONL file; see ExportOptions. */
export async function exportResults(options: ExportOptions): Promise<ExportSummary> {
  if (options.section !== undefined && !parseSectionId(options.section)) throw new Error(l10n.t('Unknown results section: {0}', options.section));
  const out = await OutputFile.open(options.output);
  try {
    const summary = options.source === undefined ? await exportPlain(options, out) : await exportJoined(options, out, options.source);
    await out.commit();
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

/** One batch's local results, as a part of a merged save. */
export interface MergePart {
  /** The local results file (complete or partial); undefined when this part has no local copy. */
  path?: string;
  /** What the user recognises: the batch's label, or its id. */
  label: string;
  /** Results in the file. */
  lines: number;
  /** Requests in the batch; undefined when unknown (a part this machine has no record of). */
  total: number | undefined;
  complete: boolean;
}

export interface MergeOptions {
  /** In order; parts without a `path` are counted as missing. */
  parts: MergePart[];
  /** Where to write (through a temp file renamed at the end: the target is replaced only by a whole file). */
  output: string;
  signal?: AbortSignal;
  /** How the temp file is opened (tests hand in a disk that fills up). */
  open?: OpenForWrite;
}

export interface MergeSummary {
  file: string;
  /** Results written. */
  lines: number;
  /** Requests in all the parts; undefined when one part's count is unknown. */
  total: number | undefined;
  /** Parts written with fewer results than their batch has, or not written at all (no local copy). */
  incomplete: MergePart[];
}

/**
 * The results of several batches (a split file's group) in one JSONL file, as the API sent them,
 * part after part. Every write is awaited, so a target that cannot be written rejects at once with
 * a SaveFailedError (and leaves no temp file); nothing waits on a stream event that never comes.
 */
export async function mergeResults(options: MergeOptions): Promise<MergeSummary> {
  const { output } = options;
  const temp = `${output}.${process.pid}.part`;
  // Failures to write are about the target (said as such); failures to read a part are not.
  const writing = <T>(operation: () => Promise<T>): Promise<T> => writingTo(output, operation);
  let handle: WritableFile | undefined;
  try {
    await writing(() => makeParentFolder(output));
    const file = (handle = await writing(() => (options.open ?? openForWrite)(temp)));
    for (const part of options.parts) {
      if (!part.path) continue;
      let last = LF;
      for await (const chunk of fs.createReadStream(part.path, { highWaterMark: FLUSH_BYTES, signal: options.signal })) {
        const bytes = chunk as Buffer;
        if (bytes.length === 0) continue;
        await writing(() => writeAll(file, bytes));
        last = bytes[bytes.length - 1];
      }
      // A file whose last line has no "\n" must not run into the next part's first line.
      if (last !== LF) await writing(() => writeAll(file, NEWLINE));
    }
    handle = undefined;
    await writing(() => file.close());
    await writing(() => fs.promises.rename(temp, output));
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await fs.promises.rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
  const written = options.parts.filter((p) => p.path);
  return {
    file: output,
    lines: written.reduce((n, p) => n + p.lines, 0),
    total: options.parts.some((p) => p.total === undefined) ? undefined : options.parts.reduce((n, p) => n + (p.total ?? 0), 0),
    incomplete: options.parts.filter((p) => !p.path || !p.complete || p.total === undefined || p.lines < p.total),
  };
}

/**
 * For the message after a merged save that lacks results: "Only 1,500 of 2,000 results: part 2
 * (b.jsonl) has 500 of 1,000; part 3 (c.jsonl) has no local copy." Undefined when nothing lacks.
 * Said to the user, never written into the JSONL (a line there would not be a result).
 */
export function mergeNote(summary: MergeSummary, parts: MergePart[]): string | undefined {
  if (summary.incomplete.length === 0) return undefined;
  const details = summary.incomplete.map((p) => {
    const which = l10n.t('part {0} ({1})', formatCount(parts.indexOf(p) + 1), p.label);
    if (!p.path) return l10n.t('{0} has no local copy and is left out', which);
    if (p.total === undefined) return l10n.t('{0} has {1} of an unknown number', which, formatCount(p.lines));
    return l10n.t('{0} has {1} of {2}', which, formatCount(p.lines), formatCount(p.total));
  });
  const list = details.join('; ');
  if (summary.total === undefined) return l10n.t('Only {0} results, not all of them: {1}.', formatCount(summary.lines), list);
  return l10n.t('Only {0} of {1} results: {2}.', formatCount(summary.lines), formatCount(summary.total), list);
}
