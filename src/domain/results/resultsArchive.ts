// The local copy of each batch's results, kept after the API deletes its own (RETENTION_DAYS after the
// batch was created). One folder; per batch:
//   <id>.jsonl          the results, complete (renamed into place only once the stream ended well)
//   <id>.partial.jsonl  what arrived of a download that broke; never mistaken for complete
//   <id>.meta.json      the batch as of the download, when, how many lines, complete or not
//   <id>.usage.json     the tokens the copy counts, per model (usageLedger.ts)
//   <id>.index.json     the summary of the copy, and <id>.entries.json every result's place in
//   <id>.entries.json   it: written by the pass that reads the copy, checked before use
//                       (resultsIndex.ts), so that reopening reads a few lines, not all
// Downloads write to a temp `.part` file first, so a crash leaves no half-written file under
// either name. Downloading again replaces a partial copy only with a longer or complete one, and
// a complete copy only with another complete one.
import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MessageBatch } from '../../api';
import { ENGLISH_WORDING, wordingKey } from '../../common/l10n';
import { scanArchive } from './archiveFiles';
import { readResults, type ResultsReader } from './resultsReader';
import { streamResultsToFile, type IncompleteReason, type ResultsSource, type StreamOptions } from './resultsStream';
import { openForWrite, writeWholeFile, type OpenForWrite } from './writableFile';
import { ResultsSummarizer, type ResultsSummary, type SummaryOptions } from './resultsSummary';
import { batchUsageOf, loadBatchUsage, writeBatchUsage, type BatchUsage } from './usageLedger';
import type { EntryIndex } from './entryIndex';
import { entryIndexOf, indexedOptions, summarizeCopy, writeResultsIndex, type IndexedSummary, type IndexFiles } from './resultsIndex';

const META_VERSION = 1;

/** What `<id>.meta.json` holds. */
export interface ArchiveMeta {
  version: number;
  batchId: string;
  /** The batch object as retrieved at the start of the download. */
  batch?: MessageBatch;
  /** ISO time the download finished (or broke). */
  downloadedAt: string;
  /** Results in the file. */
  lines: number;
  /** Requests in the batch. */
  total: number;
  complete: boolean;
  /** File name (in the archive folder) holding the results. */
  file: string;
  via?: 'raw' | 'decoder';
  reason?: IncompleteReason;
  /** One sentence on what broke the download, for the results document. */
  error?: string;
  /**
   * The display language `error` is worded in (wordingKey; English when absent, as written
   * before): in another language the document leaves it out rather than show foreign words.
   */
  errorWording?: string;
  blankLines?: number;
  suspectLines?: number;
}

export interface ArchiveStatus {
  batchId: string;
  exists: true;
  complete: boolean;
  lines: number;
  total: number;
  /** Absolute path of the file holding the results (the partial file when incomplete). */
  path: string;
  downloadedAt: string;
  batch?: MessageBatch;
  reason?: IncompleteReason;
  error?: string;
}

export interface ArchiveDownload extends ArchiveStatus {
  batch: MessageBatch;
  via: 'raw' | 'decoder';
  blankLines: number;
  suspectLines: number;
  /** The error that broke the stream (give it to describeError); undefined when complete. */
  failure?: unknown;
  /** The download broke but an earlier complete copy existed and was kept; `path` points at it. */
  keptPrevious?: boolean;
}

/** The archive has nothing for this batch. */
export class ArchiveMissingError extends Error {
  constructor(readonly batchId: string) {
    super(l10n.t('No local copy of the results of {0}: download them first.', batchId));
    this.name = 'ArchiveMissingError';
  }
}

const BATCH_ID = /^[A-Za-z0-9_-]{1,128}$/;
let tempCounter = 0;

function checkId(batchId: string): string {
  // The id becomes a file name: refuse anything that could climb out of the folder.
  if (!BATCH_ID.test(batchId)) throw new Error(l10n.t('Not a batch id: {0}', JSON.stringify(batchId)));
  return batchId;
}

function describe(err: unknown): string | undefined {
  if (err === undefined) return undefined;
  return err instanceof Error ? err.message : String(err);
}

async function exists(file: string): Promise<boolean> {
  return fs.promises.stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}

async function removeQuietly(file: string): Promise<void> {
  await fs.promises.rm(file, { force: true });
}

/** Counts the newlines of a file without decoding it (for a copy written before meta files). */
async function countLines(file: string): Promise<number> {
  let count = 0;
  let last = 10;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    const buffer = chunk as Buffer;
    let at = -1;
    while ((at = buffer.indexOf(10, at + 1)) !== -1) count++;
    if (buffer.length > 0) last = buffer[buffer.length - 1];
  }
  return last === 10 ? count : count + 1;
}

/** How the archive touches the disk (tests hand in a disk that fills up). */
export interface ArchiveIo {
  open?: OpenForWrite;
}

export class ResultsArchive {
  private readonly openFile: OpenForWrite;

  constructor(
    readonly dir: string,
    private readonly now: () => number = Date.now,
    io: ArchiveIo = {},
  ) {
    this.openFile = io.open ?? openForWrite;
  }

  /** Where the complete results of a batch live (whether or not they exist yet). */
  completePath(batchId: string): string {
    return path.join(this.dir, `${checkId(batchId)}.jsonl`);
  }

  partialPath(batchId: string): string {
    return path.join(this.dir, `${checkId(batchId)}.partial.jsonl`);
  }

  metaPath(batchId: string): string {
    return path.join(this.dir, `${checkId(batchId)}.meta.json`);
  }

  usagePath(batchId: string): string {
    return path.join(this.dir, `${checkId(batchId)}.usage.json`);
  }

  /**
   * The tokens a batch's local copy counts, per model: from its usage file when that describes
   * this copy, else counted from the copy once (and the file written). Undefined without a copy.
   */
  async usage(batchId: string, signal?: AbortSignal): Promise<BatchUsage | undefined> {
    const status = await this.status(batchId);
    if (!status) return undefined;
    return (await loadBatchUsage(this.usagePath(batchId), status, { open: this.openFile, signal })).usage;
  }

  /** Where the summary and entry index of a batch's copy are kept (resultsIndex.ts). */
  indexFiles(batchId: string): IndexFiles {
    return { summary: path.join(this.dir, `${checkId(batchId)}.index.json`), entries: path.join(this.dir, `${checkId(batchId)}.entries.json`) };
  }

  /**
   * The summary of a batch's copy for its results document: from the index kept beside the copy
   * when it holds up, else from a pass over the copy (which keeps a new index).
   */
  summarize(batchId: string, copyPath: string, options: SummaryOptions = {}): Promise<IndexedSummary> {
    return summarizeCopy(this.indexFiles(batchId), copyPath, options, this.openFile);
  }

  /** Every result of a batch's copy by custom_id (made again from the copy when the kept one does not hold up). */
  entries(batchId: string, copyPath: string, options: SummaryOptions = {}): Promise<EntryIndex> {
    return entryIndexOf(this.indexFiles(batchId), copyPath, options, this.openFile);
  }

  /**
   * Downloads the results of an ended batch into the archive, streaming. Throws when nothing
   * could be fetched (not ended, auth, network: see describeError). A stream that breaks midway
   * keeps what arrived as `<id>.partial.jsonl` and resolves with `complete: false`.
   */
  async download(source: ResultsSource, batchId: string, options: StreamOptions = {}): Promise<ArchiveDownload> {
    checkId(batchId);
    await fs.promises.mkdir(this.dir, { recursive: true });
    const part = path.join(this.dir, `${batchId}.${process.pid}-${Date.now().toString(36)}-${++tempCounter}.part`);
    let streamed;
    try {
      streamed = await streamResultsToFile(source, batchId, part, { ...options, open: this.openFile });
    } catch (err) {
      await removeQuietly(part);
      throw err;
    }
    const downloadedAt = new Date(this.now()).toISOString();
    const base = {
      batchId,
      exists: true as const,
      batch: streamed.batch,
      lines: streamed.lines,
      total: streamed.total,
      downloadedAt,
      via: streamed.via,
      blankLines: streamed.blankLines,
      suspectLines: streamed.suspectLines,
    };
    const error = describe(streamed.error);
    const previous = await this.status(batchId);
    if (!streamed.complete && previous && (previous.complete || previous.lines >= streamed.lines)) {
      // Never trade a copy for a worse one: a complete copy for a partial one, nor a partial one
      // for a shorter one (a retry on a full disk writes less, or nothing at all).
      await removeQuietly(part);
      return { ...previous, batch: previous.batch ?? streamed.batch, via: streamed.via, blankLines: streamed.blankLines, suspectLines: streamed.suspectLines, failure: streamed.error, reason: streamed.reason, error, keptPrevious: true };
    }
    const file = streamed.complete ? this.completePath(batchId) : this.partialPath(batchId);
    const meta: ArchiveMeta = streamed.complete ? { ...this.metaOf(base, file), complete: true } : { ...this.metaOf(base, file), complete: false, reason: streamed.reason, error, ...(error !== undefined ? { errorWording: wordingKey() } : {}) };
    await this.install(part, file, meta);
    if (streamed.complete) {
      await removeQuietly(this.partialPath(batchId));
      return { ...base, complete: true, path: file };
    }
    return { ...base, complete: false, path: file, reason: streamed.reason, error, failure: streamed.error };
  }

  /**
   * Puts a downloaded file and its meta in place, or neither: the meta is written first (to a
   * temp file; on a full disk that fails, and the earlier copy stays as it was), then both are
   * renamed, which needs no room. Whatever fails removes the temp files and is thrown.
   */
  private async install(part: string, file: string, meta: ArchiveMeta): Promise<void> {
    let metaTemp: string | undefined;
    try {
      metaTemp = await this.writeMetaTemp(meta);
      await fs.promises.rename(part, file);
    } catch (err) {
      await removeQuietly(part);
      if (metaTemp) await removeQuietly(metaTemp);
      throw err;
    }
    try {
      await fs.promises.rename(metaTemp, this.metaPath(meta.batchId));
    } catch (err) {
      // The results are in place but the old meta would describe another file: without a meta,
      // status() counts the file again.
      await removeQuietly(metaTemp);
      await removeQuietly(this.metaPath(meta.batchId));
      throw err;
    }
  }

  /**
   * Downloads and summarizes in the same pass: each line is summarized as it is written, so the
   * first "Open Results" of a batch costs one read of the network and none of the disk. The
   * summary describes the file at `download.path`. Throws what download throws.
   */
  async downloadAndSummarize(
    source: ResultsSource,
    batchId: string,
    summaryOptions: SummaryOptions = {},
    options: StreamOptions = {},
  ): Promise<{ download: ArchiveDownload; summary: ResultsSummary }> {
    const summarizer = await ResultsSummarizer.create({ ...summaryOptions, signal: summaryOptions.signal ?? options.signal, indexEntries: true });
    const theirs = options.onLine;
    const download = await this.download(source, batchId, {
      ...options,
      onLine: theirs
        ? (buffer, start, end, offset, line) => {
            theirs(buffer, start, end, offset, line);
            summarizer.onLine(buffer, start, end, offset, line);
          }
        : summarizer.onLine,
    });
    // The summarizer saw every line as it was buffered: when an earlier copy was kept, or writing
    // failed (lines it saw never reached the disk), the summary is made from the file instead.
    const stale = download.keptPrevious || download.reason === 'write';
    if (stale) return { download, summary: (await this.summarize(batchId, download.path, summaryOptions)).summary };
    const summary = await summarizer.finish(download.path);
    if (download.complete) {
      // The summary counted the tokens: the Usage report reads them from here (best effort: a
      // copy without the file is counted when the report needs it).
      await writeBatchUsage(this.usagePath(batchId), batchUsageOf(download, summary.usage.perModel), this.openFile).catch(() => undefined);
    }
    // Kept beside the copy for later opens; best effort (a full disk means reading the copy again then).
    const made = await indexedOptions(summaryOptions);
    if (made) await writeResultsIndex(this.indexFiles(batchId), download.path, summary, made, { entries: summarizer.entries()!, places: summarizer.places()! }, this.openFile).catch(() => undefined);
    return { download, summary };
  }

  private metaOf(base: { batchId: string; batch: MessageBatch; lines: number; total: number; downloadedAt: string; via: 'raw' | 'decoder'; blankLines: number; suspectLines: number }, file: string): Omit<ArchiveMeta, 'complete'> {
    return {
      version: META_VERSION,
      batchId: base.batchId,
      batch: base.batch,
      downloadedAt: base.downloadedAt,
      lines: base.lines,
      total: base.total,
      file: path.basename(file),
      via: base.via,
      blankLines: base.blankLines,
      suspectLines: base.suspectLines,
    };
  }

  /** Writes the meta to a temp file beside its place; a failed write leaves nothing behind. */
  private async writeMetaTemp(meta: ArchiveMeta): Promise<string> {
    const temp = `${this.metaPath(meta.batchId)}.${process.pid}-${++tempCounter}.tmp`;
    await writeWholeFile(this.openFile, temp, `${JSON.stringify(meta, null, 2)}\n`);
    return temp;
  }

  private async writeMeta(meta: ArchiveMeta): Promise<void> {
    const temp = await this.writeMetaTemp(meta);
    await fs.promises.rename(temp, this.metaPath(meta.batchId)).catch(async (err: unknown) => {
      await removeQuietly(temp);
      throw err;
    });
  }

  private async readMeta(batchId: string): Promise<ArchiveMeta | undefined> {
    try {
      const meta = JSON.parse(await fs.promises.readFile(this.metaPath(batchId), 'utf8')) as ArchiveMeta;
      if (typeof meta !== 'object' || meta === null || meta.batchId !== batchId || typeof meta.file !== 'string') return undefined;
      return meta;
    } catch {
      return undefined;
    }
  }

  /** What the archive holds for a batch, or undefined when it holds nothing. Cheap: reads the meta file. */
  async status(batchId: string): Promise<ArchiveStatus | undefined> {
    const meta = await this.readMeta(batchId);
    const complete = this.completePath(batchId);
    const partial = this.partialPath(batchId);
    const fromMeta = (m: ArchiveMeta, file: string): ArchiveStatus => ({
      batchId,
      exists: true,
      complete: m.complete && file === complete,
      lines: m.lines,
      total: m.total,
      path: file,
      downloadedAt: m.downloadedAt,
      batch: m.batch,
      reason: m.reason,
      // Words written in another display language are left out: the document says the copy is incomplete without them.
      error: (m.errorWording ?? ENGLISH_WORDING) === wordingKey() ? m.error : undefined,
    });
    const completeExists = await exists(complete);
    if (meta && meta.complete && meta.file === path.basename(complete) && completeExists) return fromMeta(meta, complete);
    if (completeExists) {
      // A complete copy whose meta is missing or stale (written before meta files existed, or a
      // crash between the rename and the meta): files only get this name once complete.
      const lines = await countLines(complete);
      const downloadedAt = (await fs.promises.stat(complete)).mtime.toISOString();
      const adopted: ArchiveMeta = { version: META_VERSION, batchId, batch: meta?.batch, downloadedAt, lines, total: Math.max(lines, meta?.total ?? 0), complete: true, file: path.basename(complete) };
      // Best effort: on a full disk the count is simply made again next time.
      await this.writeMeta(adopted).catch(() => undefined);
      return fromMeta(adopted, complete);
    }
    if (await exists(partial)) {
      if (meta && meta.file === path.basename(partial)) return fromMeta({ ...meta, complete: false }, partial);
      const lines = await countLines(partial);
      const downloadedAt = (await fs.promises.stat(partial)).mtime.toISOString();
      return { batchId, exists: true, complete: false, lines, total: meta?.total ?? lines, path: partial, downloadedAt, batch: meta?.batch, reason: 'cut' };
    }
    return undefined;
  }

  /**
   * The archived results, parsed one line at a time from the file (complete or partial). Blank
   * and malformed lines are skipped and counted in `stats`. Throws ArchiveMissingError on
   * iteration when there is nothing archived.
   */
  open(batchId: string, options: { signal?: AbortSignal } = {}): ResultsReader {
    checkId(batchId);
    let reader: ResultsReader | undefined;
    const stats = { lines: 0, results: 0, blankLines: 0, malformedLines: 0, malformedLineNumbers: [] as number[] };
    const status = () => this.status(batchId);
    return {
      get stats() {
        return reader?.stats ?? stats;
      },
      async *[Symbol.asyncIterator]() {
        const found = await status();
        if (!found) throw new ArchiveMissingError(batchId);
        reader = readResults(found.path, options);
        yield* reader;
      },
    };
  }

  /** Removes everything the archive holds for a batch (temp files of its downloads too). */
  async delete(batchId: string): Promise<void> {
    checkId(batchId);
    const files = (await scanArchive(this.dir)).get(batchId)?.files ?? [];
    await Promise.all(files.map((f) => removeQuietly(path.join(this.dir, f.name))));
  }

  /** Every batch with results here, with the bytes it takes (its temp files included). */
  async list(): Promise<(ArchiveStatus & { bytes: number })[]> {
    const statuses: ArchiveStatus[] = [];
    for (const entry of (await scanArchive(this.dir)).values()) {
      if (!entry.hasResults) continue;
      const status = await this.status(entry.batchId).catch(() => undefined);
      if (status) statuses.push(status);
    }
    // Measured after: status() may have written a missing meta file.
    const files = await scanArchive(this.dir);
    return statuses.map((status) => ({ ...status, bytes: files.get(status.batchId)?.bytes ?? 0 }));
  }
}
