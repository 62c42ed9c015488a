import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeError, type BatchesApi, type MessageBatch } from '../../api';
import type { ArchiveStatus, ResultsArchive, ResultsDocument, ResultsSummary, SectionId, SummaryOptions } from '../../domain/results';
import { resultsModule } from './resultsModule';
import type { SubmissionRegistry } from '../../domain/submissionRegistry';
import { markdownText } from '../../domain/markdown';
import type { Log } from '../log';
import { Settings } from '../settings';
import { ui } from '../ui';

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
 * Results kept on this machine (the API deletes its copy 29 days after creation): downloads a
 * batch's results into the archive once, streaming, with a cancellable progress notification;
 * renders the results documents from the local copy.
 */
export class ResultsService {
  private archiveInstance: ResultsArchive | undefined;
  private readonly changed = new vscode.EventEmitter<string>();
  /** Summaries made during a download, used once by the document that opens right after. */
  private readonly summaries = new Map<string, ResultsSummary>();
  /** Fires with a batch id when its local copy changed (a download finished). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly storageDir: string,
    private readonly deps: ResultsDeps,
  ) {}

  /** The folder of the local copies. */
  get dir(): string {
    return path.join(this.storageDir, 'results');
  }

  /** The local archive (its code is loaded the first time it is needed). */
  get archive(): ResultsArchive {
    this.archiveInstance ??= new (resultsModule().ResultsArchive)(this.dir);
    return this.archiveInstance;
  }

  /** Deletes this machine's copy of a batch's results; open documents say there is none. */
  async deleteLocal(batchId: string): Promise<void> {
    await this.archive.delete(batchId);
    this.summaries.delete(batchId);
    this.changed.fire(batchId);
  }

  /**
   * The local copy, downloaded now when there is none (or only a partial one and `again`).
   * Returns undefined when the user cancelled the download.
   */
  async ensureLocal(batch: MessageBatch, label: string, options: { again?: boolean; forDocument?: boolean } = {}): Promise<ArchiveStatus | undefined> {
    const again = options.again ?? false;
    const existing = await this.archive.status(batch.id);
    if (existing?.complete && !again) return existing;
    if (batch.archived_at) {
      if (existing) return existing;
      throw new Error(`The API deleted the results of "${label}" on ${batch.archived_at.slice(0, 10)} (29 days after it was created), and there is no local copy.`);
    }
    const api = await this.deps.api();
    const download = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Downloading results of "${label}"`, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        let reported = 0;
        const { download, summary } = await this.archive.downloadAndSummarize(api, batch.id, this.summaryOptions(batch.id), {
          signal: controller.signal,
          onProgress: ({ lines, total }) => {
            progress.report({
              message: `${lines.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`,
              increment: total ? ((lines - reported) / total) * 100 : undefined,
            });
            reported = lines;
          },
        });
        // Summarised while it was written: the document about to open needs no second read.
        // Kept only then: a save or a retry opens no document, and the summary would linger.
        if (options.forDocument) this.summaries.set(batch.id, summary);
        return download;
      },
    );
    this.changed.fire(batch.id);
    if (!download.complete) {
      const why = download.failure ? describeError(download.failure, { baseUrl: api.baseUrl }).message : download.error ?? 'the download stopped';
      this.deps.log.warn(`Results of ${batch.id} incomplete: ${download.lines} of ${download.total}: ${why}`);
      if (download.reason === 'aborted') return download.keptPrevious ? download : undefined;
      const counts = `${download.lines.toLocaleString('en-US')} of ${download.total.toLocaleString('en-US')}`;
      const kept = download.keptPrevious ? `The earlier copy (${counts} results) is kept and shown.` : `The ${counts} results saved are kept and shown.`;
      const message =
        download.reason === 'write'
          ? `The results of "${label}" could not all be saved on this machine (${why}). ${kept} Free some disk space ("Claude Batches: Manage Local Results…" lists what is stored), then download again.`
          : download.keptPrevious
            ? `The download of the results of "${label}" broke (${why}). ${kept}`
            : `Only ${counts} results of "${label}" arrived (${why}). What arrived is kept and shown.`;
      void ui()
        .warn(message, 'Download Again')
        .then((choice) => {
          // ensureLocal fires onDidChange itself: open documents re-render from the new copy.
          if (choice === 'Download Again') void this.ensureLocal(batch, label, { again: true });
        });
    }
    return download;
  }

  /** The source file (when known; a missing one is said so in the document) and today's prices. */
  private summaryOptions(batchId: string): SummaryOptions {
    return { source: this.deps.registry.get(batchId)?.sourcePath, maxEntries: Settings.resultsEntriesPerSection(), prices: Settings.prices() };
  }

  /** For tooltips: where this machine's copy of the results is, or nothing when there is none. */
  async describeLocalCopy(batchId: string): Promise<string | undefined> {
    const status = await this.archive.status(batchId);
    if (!status) return undefined;
    const state = status.complete ? 'complete' : `partial: ${status.lines.toLocaleString('en-US')} of ${status.total.toLocaleString('en-US')}`;
    return `**Local copy of the results** (${state}, kept after the API deletes its own): ${markdownText(status.path)}`;
  }

  /** The rendered document for a batch (or one section of it), from the local copy. */
  async render(batchId: string, section?: SectionId): Promise<ResultsDocument> {
    const status = await this.archive.status(batchId);
    const record = this.deps.registry.get(batchId);
    const label = record?.label ?? batchId;
    if (!status) {
      return { text: `No local copy of the results of "${label}" yet. Open them from the Batches view.\n`, lineCount: 1, folding: [], sections: [], entries: [] };
    }
    const fresh = section ? undefined : this.summaries.get(batchId);
    this.summaries.delete(batchId);
    const summary = fresh ?? (await resultsModule().summarizeResults(status.path, { ...this.summaryOptions(batchId), section, maxEntries: section ? Settings.resultsSectionEntries() : Settings.resultsEntriesPerSection() }));
    return resultsModule().renderResultsDocument(summary, {
      batchId,
      batch: this.deps.knownBatch(batchId) ?? status.batch,
      label,
      sourcePath: record?.sourcePath,
      archive: { path: status.path, complete: status.complete, lines: status.lines, total: status.total, downloadedAt: status.downloadedAt, error: status.error },
      section,
      saveCommand: 'Claude Batches: Save Results…',
      retryCommand: 'Claude Batches: Retry Failed Requests',
    });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
