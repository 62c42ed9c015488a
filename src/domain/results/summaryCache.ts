// The summary a download made while writing a batch's results, kept for the results document
// that opens next, so its first render reads the file no second time. A summary describes one
// copy of the results read with some options; it is handed out only for that copy and those
// options, and only once. Whatever happens in between (another download of the batch, a delete,
// a change of settings, a section opened on its own), the worst is a summary made again from the
// file, never one of another copy.
import type { ArchiveStatus } from './resultsArchive';
import type { ResultsSummary, SummaryOptions } from './resultsSummary';

/** What a summary was made from: one copy of a batch's results, and how it was read. */
export interface SummarySource {
  /** The local copy (a new download or a delete makes another, or none). */
  copy: Pick<ArchiveStatus, 'path' | 'downloadedAt' | 'lines' | 'complete'>;
  options: SummaryOptions;
}

/** Identifies a copy of a batch's results: a new download or a delete changes it. */
function copyKey({ path, downloadedAt, lines, complete }: SummarySource['copy']): string {
  return JSON.stringify([path, downloadedAt, lines, complete]);
}

/**
 * Identifies how a summary was read, or undefined when that cannot be compared (a source given
 * as an index already built has no name to compare).
 */
function optionsKey(options: SummaryOptions): string | undefined {
  if (options.source !== undefined && typeof options.source !== 'string') return undefined;
  return JSON.stringify([options.source ?? null, options.section ?? null, options.maxEntries ?? null, options.promptChars ?? null, options.prices ?? null, options.expectedSha256 ?? null]);
}

interface Kept {
  copy: string;
  options: string;
  summary: ResultsSummary;
}

/** At most one summary per batch, from the download that made it until a render takes it. */
export class SummaryCache {
  private readonly kept = new Map<string, Kept>();

  /** Batches with a summary kept. */
  get size(): number {
    return this.kept.size;
  }

  /** Keeps the summary a download made of a batch's copy, in place of any earlier one. */
  keep(batchId: string, made: SummarySource, summary: ResultsSummary): void {
    const options = optionsKey(made.options);
    if (options === undefined) this.kept.delete(batchId);
    else this.kept.set(batchId, { copy: copyKey(made.copy), options, summary });
  }

  /**
   * The kept summary of a batch when it describes this copy read with these options, handed out
   * once. A summary of another copy is dropped (that copy is gone); one read with other options
   * (while one section renders on its own) stays for the document it was made for.
   */
  take(batchId: string, wanted: SummarySource): ResultsSummary | undefined {
    const kept = this.kept.get(batchId);
    if (!kept) return undefined;
    if (kept.copy !== copyKey(wanted.copy)) {
      this.kept.delete(batchId);
      return undefined;
    }
    if (kept.options !== optionsKey(wanted.options)) return undefined;
    this.kept.delete(batchId);
    return kept.summary;
  }

  /** Forgets a batch's summary: its copy was deleted, or a download is replacing it. */
  forget(batchId: string): void {
    this.kept.delete(batchId);
  }
}
