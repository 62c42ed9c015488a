import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BatchesApi, MessageBatch, MessageBatchResult } from '../../api';
import { formatCount } from '../../common/format';
import type { ArchiveStatus, EntryIndex, FullResultTarget, ResultsArchive, ResultsDocument, SectionId, SummaryCache } from '../../domain/results';
import { resultsModule } from './resultsModule';
import { batchName, type SubmissionRegistry } from '../../domain/submissionRegistry';
import { DisposableObject } from '../../domain/lifecycle';
import { markdownText } from '../../domain/markdown';
import type { Log } from '../core/log';
import { ResultsDownloader, type EnsureLocalOptions } from './resultsDownloader';
import { ResultsRenderer } from './resultsRenderer';
import { documentSummaryOptions } from './summaryOptions';

/** What the results documents need from the rest of the extension. */
export interface ResultsDeps {
  registry: SubmissionRegistry;
  log: Log;
  /** The API for the current key, asking for one when there is none. */
  api: () => Promise<BatchesApi>;
  /** The batch as last listed, if the store has it. */
  knownBatch: (batchId: string) => MessageBatch | undefined;
}

/**
 * Results kept on this machine (the API deletes its copy RETENTION_DAYS after creation): the archive of
 * local copies, the downloader that fills it, the renderer of the results documents, and the
 * summary cache between them, which hands the summary a download made to the document that opens
 * next. Its code (the results bundle) loads the first time any of them is needed.
 */
export class ResultsService extends DisposableObject {
  private archiveInstance: { dir: string; archive: ResultsArchive } | undefined;
  private summaryCache: SummaryCache | undefined;
  private readonly changed = this.register(new vscode.EventEmitter<string>());
  private readonly downloader: ResultsDownloader;
  private readonly renderer: ResultsRenderer;
  /** Fires with a batch id when its local copy changed (a download finished, or it was deleted). */
  readonly onDidChange = this.changed.event;

  constructor(
    /** The folder of the account in use (each account keeps its own copies). */
    private readonly storageDir: () => string,
    private readonly deps: ResultsDeps,
  ) {
    super();
    const archive = () => this.archive;
    const summaries = () => (this.summaryCache ??= new (resultsModule().SummaryCache)());
    this.downloader = new ResultsDownloader({ ...deps, archive, summaries, changed: (batchId) => this.changed.fire(batchId) });
    this.renderer = new ResultsRenderer({ registry: deps.registry, knownBatch: deps.knownBatch, archive, summaries });
  }

  /** The folder of the local copies. */
  get dir(): string {
    return path.join(this.storageDir(), 'results');
  }

  /** The local archive (its code is loaded the first time it is needed). */
  get archive(): ResultsArchive {
    const dir = this.dir;
    if (this.archiveInstance?.dir !== dir) this.archiveInstance = { dir, archive: new (resultsModule().ResultsArchive)(dir) };
    return this.archiveInstance.archive;
  }

  /** Deletes this machine's copy of a batch's results; open documents say there is none. */
  async deleteLocal(batchId: string): Promise<void> {
    await this.archive.delete(batchId);
    this.summaryCache?.forget(batchId);
    this.changed.fire(batchId);
  }

  /**
   * The local copy, downloaded now when there is none (or only a partial one and `again`).
   * Returns undefined when the user cancelled the download.
   */
  ensureLocal(batch: MessageBatch, label: string, options: EnsureLocalOptions = {}): Promise<ArchiveStatus | undefined> {
    return this.downloader.ensureLocal(batch, label, options);
  }

  /** For tooltips: where this machine's copy of the results is, or nothing when there is none. */
  async describeLocalCopy(batchId: string): Promise<string | undefined> {
    const status = await this.archive.status(batchId);
    if (!status) return undefined;
    const state = status.complete ? 'complete' : vscode.l10n.t('partial: {0} of {1}', formatCount(status.lines), formatCount(status.total));
    return vscode.l10n.t('**Local copy of the results** ({0}, kept after the API deletes its own): {1}', state, markdownText(status.path));
  }

  /**
   * One result of the local copy, read alone: at the place the link said when that place holds
   * it, else where the entry index says. Undefined when the copy or the result is not there.
   */
  async fullResult(target: Pick<FullResultTarget, 'batchId' | 'customId' | 'at'>): Promise<{ text: string; value: { custom_id: string; result: MessageBatchResult } } | undefined> {
    const status = await this.archive.status(target.batchId);
    if (!status) return undefined;
    const { readResultAt, findEntry } = resultsModule();
    if (target.at) {
      const found = await readResultAt(status.path, target.customId, target.at.offset, target.at.length);
      if (found) return found;
    }
    const index = await this.entries(target.batchId, status);
    const entry = index && findEntry(index, target.customId);
    return entry ? readResultAt(status.path, target.customId, entry.offset, entry.length) : undefined;
  }

  /** What the user calls a batch: its file's name when submitted from here, else its id. */
  labelOf(batchId: string): string {
    const record = this.deps.registry.get(batchId);
    return batchName(record, batchId);
  }

  /** Every result of a batch's local copy by custom_id (undefined: no copy). */
  async entries(batchId: string, status?: ArchiveStatus): Promise<EntryIndex | undefined> {
    const copy = status ?? (await this.archive.status(batchId));
    if (!copy) return undefined;
    return this.archive.entries(batchId, copy.path, documentSummaryOptions(this.deps.registry, batchId));
  }

  /** The rendered document for a batch (or one section of it), from the local copy. */
  render(batchId: string, section?: SectionId): Promise<ResultsDocument> {
    return this.renderer.render(batchId, section);
  }
}
