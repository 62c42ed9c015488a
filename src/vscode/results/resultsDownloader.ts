import * as vscode from 'vscode';
import { describeError, type BatchesApi, type MessageBatch } from '../../api';
import { RETENTION_DAYS } from '../../domain/batchPresentation';
import { formatCount } from '../../common/format';
import type { ArchiveDownload, ArchiveStatus, DownloadProgress, ResultsArchive, SummaryCache } from '../../domain/results';
import type { SubmissionRegistry } from '../../domain/submissionRegistry';
import type { Log } from '../core/log';
import { ui } from '../core/ui';
import { documentSummaryOptions } from './summaryOptions';

/** What a download needs from the rest of the extension and from the results service. */
export interface DownloaderDeps {
  registry: SubmissionRegistry;
  log: Log;
  /** The API for the current key, asking for one when there is none. */
  api: () => Promise<BatchesApi>;
  archive: () => ResultsArchive;
  summaries: () => SummaryCache;
  /** Called with a batch id when a download of its results ended, whatever it brought. */
  changed: (batchId: string) => void;
}

export interface EnsureLocalOptions {
  /** Download even when there is a copy (a partial one is replaced only by a longer one). */
  again?: boolean;
  /** A results document opens next: the summary made while downloading is kept for it. */
  forDocument?: boolean;
}

/**
 * Brings a batch's results to this machine: downloads them into the archive once, streaming,
 * under a cancellable progress notification, and says what an incomplete download kept.
 */
export class ResultsDownloader {
  constructor(private readonly deps: DownloaderDeps) {}

  /**
   * The local copy, downloaded now when there is none (or only a partial one and `again`).
   * Returns undefined when the user cancelled the download.
   */
  async ensureLocal(batch: MessageBatch, label: string, options: EnsureLocalOptions = {}): Promise<ArchiveStatus | undefined> {
    const again = options.again ?? false;
    const existing = await this.deps.archive().status(batch.id);
    if (existing?.complete && !again) return existing;
    if (batch.archived_at) {
      if (existing) return existing;
      throw new Error(vscode.l10n.t('The API deleted the results of "{0}" on {1} ({2} days after it was created), and there is no local copy.', label, batch.archived_at.slice(0, 10), RETENTION_DAYS));
    }
    const api = await this.deps.api();
    const download = await this.download(api, batch, label, options.forDocument ?? false);
    this.deps.changed(batch.id);
    if (download.complete) return download;
    const why = download.failure ? describeError(download.failure, { baseUrl: api.baseUrl }).message : download.error ?? vscode.l10n.t('the download stopped');
    this.deps.log.warn(`Results of ${batch.id} incomplete: ${download.lines} of ${download.total}: ${why}`);
    if (download.reason === 'aborted') return download.keptPrevious ? download : undefined;
    void ui()
      .warn(incompleteMessage(download, label, why), vscode.l10n.t('Download Again'))
      .then((choice) => {
        // ensureLocal tells the change itself: open documents re-render from the new copy.
        if (choice === vscode.l10n.t('Download Again')) void this.ensureLocal(batch, label, { again: true });
      });
    return download;
  }

  /**
   * Downloads and summarises in one pass. The summary of the copy being replaced is forgotten
   * first; the new one is kept only when a document opens next (a save or a retry opens none).
   */
  private async download(api: BatchesApi, batch: MessageBatch, label: string, forDocument: boolean): Promise<ArchiveDownload> {
    const summaries = this.deps.summaries();
    summaries.forget(batch.id);
    const options = documentSummaryOptions(this.deps.registry, batch.id);
    const { download, summary } = await withDownloadProgress(label, (signal, onProgress) =>
      this.deps.archive().downloadAndSummarize(api, batch.id, options, { signal, onProgress }),
    );
    if (forDocument) summaries.keep(batch.id, { copy: download, options }, summary);
    return download;
  }
}

/** Runs a download under a cancellable notification that counts the results as they arrive. */
async function withDownloadProgress<T>(label: string, run: (signal: AbortSignal, onProgress: (progress: DownloadProgress) => void) => Promise<T>): Promise<T> {
  // The Batches view shows it is busy too (its progress bar has no cancel: the notification has).
  return vscode.window.withProgress({ location: { viewId: 'claudeBatches.batches' } }, () => withNotificationProgress(label, run));
}

async function withNotificationProgress<T>(label: string, run: (signal: AbortSignal, onProgress: (progress: DownloadProgress) => void) => Promise<T>): Promise<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Downloading results of "{0}"', label), cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    let reported = 0;
    return run(controller.signal, ({ lines, total }) => {
      progress.report({
        message: vscode.l10n.t('{0} of {1}', formatCount(lines), formatCount(total)),
        increment: total ? ((lines - reported) / total) * 100 : undefined,
      });
      reported = lines;
    });
  });
}

/** What a download that did not complete (other than by the user's cancelling) kept, and what to do. */
function incompleteMessage(download: ArchiveDownload, label: string, why: string): string {
  const counts = vscode.l10n.t('{0} of {1}', formatCount(download.lines), formatCount(download.total));
  const kept = download.keptPrevious ? vscode.l10n.t('The earlier copy ({0} results) is kept and shown.', counts) : vscode.l10n.t('The {0} results saved are kept and shown.', counts);
  if (download.reason === 'write') {
    return vscode.l10n.t('The results of "{0}" could not all be saved on this machine ({1}). {2} Free some disk space ("Claude Batches: Manage Local Results…" lists what is stored), then download again.', label, why, kept);
  }
  return download.keptPrevious ? vscode.l10n.t('The download of the results of "{0}" broke ({1}). {2}', label, why, kept) : vscode.l10n.t('Only {0} results of "{1}" arrived ({2}). What arrived is kept and shown.', counts, label, why);
}
