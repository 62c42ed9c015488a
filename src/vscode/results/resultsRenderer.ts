import * as l10n from '@vscode/l10n';
import type { MessageBatch } from '../../api';
import type { ResultsArchive, ResultsDocument, SectionId, SummaryCache } from '../../domain/results';
import { batchName, type SubmissionRegistry } from '../../domain/submissionRegistry';
import { resultsModule } from './resultsModule';
import { documentSummaryOptions } from './summaryOptions';

/** What rendering needs from the rest of the extension and from the results service. */
export interface RendererDeps {
  registry: SubmissionRegistry;
  /** The batch as last listed, if the store has it. */
  knownBatch: (batchId: string) => MessageBatch | undefined;
  archive: () => ResultsArchive;
  summaries: () => SummaryCache;
}

/** Renders the results documents from the local copy; never downloads. */
export class ResultsRenderer {
  constructor(private readonly deps: RendererDeps) {}

  /**
   * The rendered document for a batch (or one section of it), from the local copy: summarised
   * by the download that wrote this very copy, or by the index kept beside it, or from the file.
   */
  async render(batchId: string, section?: SectionId): Promise<ResultsDocument> {
    const status = await this.deps.archive().status(batchId);
    const record = this.deps.registry.get(batchId);
    const label = batchName(record, batchId);
    if (!status) {
      return { text: l10n.t('No local copy of the results of "{0}" yet. Open them from the Batches view.\n', label), lineCount: 1, folding: [], sections: [], entries: [] };
    }
    const options = documentSummaryOptions(this.deps.registry, batchId, section);
    // The summary the download made, else the one kept beside the copy, else a pass over the copy.
    const summary = this.deps.summaries().take(batchId, { copy: status, options }) ?? (await this.deps.archive().summarize(batchId, status.path, options)).summary;
    return resultsModule().renderResultsDocument(summary, {
      batchId,
      batch: this.deps.knownBatch(batchId) ?? status.batch,
      label,
      sourcePath: record?.sourcePath,
      archive: { path: status.path, complete: status.complete, lines: status.lines, total: status.total, downloadedAt: status.downloadedAt, error: status.error },
      section,
      saveCommand: l10n.t('Claude Batches: Save Results…'),
      retryCommand: l10n.t('Claude Batches: Retry Failed Requests'),
    });
  }
}
