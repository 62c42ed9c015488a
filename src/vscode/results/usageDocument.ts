import * as vscode from 'vscode';
import type { BatchUsage } from '../../domain/results';
import { DisposableObject } from '../../domain/lifecycle';
import { Settings } from '../core/settings';
import { resultsModule } from './resultsModule';
import type { ResultsService } from './resultsService';

/** The URI scheme of the Usage report (read-only, virtual). */
export const USAGE_SCHEME = 'claude-batches-usage';
export const USAGE_URI = vscode.Uri.from({ scheme: USAGE_SCHEME, path: '/Usage.md' });

/**
 * Serves the Usage report: the tokens and estimated cost of every batch with results on this
 * machine, added up from the usage file kept next to each copy (counted once from the copy when
 * there is none). Made again when a copy changes.
 */
export class UsageDocument extends DisposableObject implements vscode.TextDocumentContentProvider {
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly results: ResultsService,
    private readonly now: () => number = Date.now,
  ) {
    super();
    this.register(
      results.onDidChange(() => {
        if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === USAGE_URI.toString())) this.changed.fire(USAGE_URI);
      }),
    );
  }

  async provideTextDocumentContent(): Promise<string> {
    const { aggregateUsage, renderUsageReport } = resultsModule();
    const archive = this.results.archive;
    const batches: BatchUsage[] = [];
    const unreadable: { batchId: string; error: string }[] = [];
    for (const copy of await archive.list()) {
      try {
        const usage = await archive.usage(copy.batchId);
        if (usage) batches.push(usage);
      } catch (err) {
        unreadable.push({ batchId: copy.batchId, error: err instanceof Error ? err.message : String(err) });
      }
    }
    return renderUsageReport(aggregateUsage(batches, { now: this.now(), prices: Settings.prices() }), { unreadable, folder: archive.dir });
  }
}

/** Serves the Usage report; disposing what it returns withdraws it. */
export function registerUsageDocument(results: ResultsService): UsageDocument {
  const provider = new UsageDocument(results);
  provider.register(vscode.workspace.registerTextDocumentContentProvider(USAGE_SCHEME, provider));
  return provider;
}
