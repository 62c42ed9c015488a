import * as vscode from 'vscode';
import type { Comparison } from '../../domain/results';
import { DisposableObject } from '../../domain/lifecycle';
import { batchName, type SubmissionRegistry } from '../../domain/submissionRegistry';
import { Settings } from '../core/settings';
import { resultsModule } from './resultsModule';
import type { ResultsService } from './resultsService';

/** The URI scheme of the two sides of a comparison (read-only, virtual). */
export const COMPARE_SCHEME = 'claude-batches-compare';

export type CompareSideName = 'left' | 'right';

export interface ComparedPair {
  left: string;
  right: string;
}

/** Comparisons kept at once (each bounded: see resultsComparison.ts). */
const KEPT = 2;
const BATCH_ID = /^[A-Za-z0-9_-]{1,128}$/;
const PATH = /^\/([^/]+)\/([^/]+)\/(left|right)\/[^/]*\.compare$/;
const NOT_IN_NAME = /[/\\?#\p{Cc}]/gu;

/** `claude-batches-compare:/<left id>/<right id>/<side>/<label>.compare`. */
export function comparisonUri(pair: ComparedPair, side: CompareSideName, label: string): vscode.Uri {
  for (const id of [pair.left, pair.right]) if (!BATCH_ID.test(id)) throw new Error(vscode.l10n.t('Not a batch id: {0}: comparisons are named by the API\'s batch ids.', JSON.stringify(id)));
  const name = label.replace(NOT_IN_NAME, '_') || side;
  return vscode.Uri.from({ scheme: COMPARE_SCHEME, path: `/${pair.left}/${pair.right}/${side}/${name}.compare` });
}

/** The pair and side a comparison URI names, or undefined. */
export function parseComparisonUri(uri: vscode.Uri): (ComparedPair & { side: CompareSideName }) | undefined {
  if (uri.scheme !== COMPARE_SCHEME) return undefined;
  const match = PATH.exec(uri.path);
  if (!match || !BATCH_ID.test(match[1]) || !BATCH_ID.test(match[2])) return undefined;
  return { left: match[1], right: match[2], side: match[3] as CompareSideName };
}

/**
 * Serves the two sides of Compare Results: each the text of one batch in a comparison aligned by
 * custom_id, made once per pair (and per "with usage" setting) from the local copies, and made
 * again when either copy changes or the setting does.
 */
export class ComparisonDocuments extends DisposableObject implements vscode.TextDocumentContentProvider {
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  private readonly kept = new Map<string, Promise<Comparison>>();

  constructor(
    private readonly results: ResultsService,
    private readonly registry: SubmissionRegistry,
  ) {
    super();
    const refresh = (touches: (pair: ComparedPair) => boolean) => {
      for (const key of [...this.kept.keys()]) {
        const [left, right] = JSON.parse(key) as [string, string];
        if (touches({ left, right })) this.kept.delete(key);
      }
      for (const doc of vscode.workspace.textDocuments) {
        const target = parseComparisonUri(doc.uri);
        if (target && touches(target)) this.changed.fire(doc.uri);
      }
    };
    this.register(results.onDidChange((batchId) => refresh((p) => p.left === batchId || p.right === batchId)));
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('claudeBatches.compare.withUsage')) refresh(() => true);
      }),
    );
  }

  /** The comparison of a pair from their local copies (made once while kept). */
  comparison(pair: ComparedPair): Promise<Comparison> {
    const withUsage = Settings.compareWithUsage();
    const key = JSON.stringify([pair.left, pair.right, withUsage]);
    let kept = this.kept.get(key);
    if (kept) {
      this.kept.delete(key);
    } else {
      kept = this.compare(pair, withUsage);
      kept.catch(() => this.kept.delete(key));
    }
    this.kept.set(key, kept);
    while (this.kept.size > KEPT) this.kept.delete(this.kept.keys().next().value!);
    return kept;
  }

  private async compare(pair: ComparedPair, withUsage: boolean): Promise<Comparison> {
    const side = async (batchId: string) => {
      const status = await this.results.archive.status(batchId);
      const record = this.registry.get(batchId);
      const label = batchName(record, batchId);
      if (!status) throw new Error(vscode.l10n.t('No local copy of the results of "{0}": open its results first, then compare again.', label));
      return { batchId, label, resultsPath: status.path };
    };
    const [left, right] = await Promise.all([side(pair.left), side(pair.right)]);
    return resultsModule().compareResults(left, right, { withUsage, prices: Settings.prices() });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const target = parseComparisonUri(uri);
    if (!target) return vscode.l10n.t('Not a comparison: {0}\n', uri.toString());
    try {
      const comparison = await this.comparison(target);
      return comparison[target.side];
    } catch (err) {
      return `${err instanceof Error ? err.message : String(err)}\n`;
    }
  }
}

/** Serves the sides of comparisons; disposing what it returns withdraws them. */
export function registerComparisonDocuments(results: ResultsService, registry: SubmissionRegistry): ComparisonDocuments {
  const provider = new ComparisonDocuments(results, registry);
  provider.register(vscode.workspace.registerTextDocumentContentProvider(COMPARE_SCHEME, provider));
  return provider;
}
