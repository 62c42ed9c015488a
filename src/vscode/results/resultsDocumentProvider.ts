import * as vscode from 'vscode';
import { DisposableObject } from '../../domain/lifecycle';
import type { ResultsDocument } from '../../domain/results';
import { CommandIds } from '../commands/commandIds';
import { commandLink } from '../commands/commandRunner';
import { fullResultText } from './fullResultDocuments';
import { ResultsNavigation } from './resultsNavigation';
import { parseFullResultUri, parseResultsUri, RESULTS_SCHEME } from './resultsUri';
import type { ResultsService } from './resultsService';

/** The language id of results documents (grammar in media/results.tmLanguage.json). */
export const RESULTS_LANGUAGE = 'claude-batch-results';

/**
 * Serves `claude-batches:` documents: read-only text rendered from the local copy of a batch's
 * results, with folding for sections and entries, and links to open a section on its own.
 * Updates when a download completes.
 */
export class ResultsDocumentProvider
  extends DisposableObject
  implements vscode.TextDocumentContentProvider, vscode.FoldingRangeProvider, vscode.DocumentLinkProvider
{
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  private readonly rendered = new Map<string, ResultsDocument>();

  constructor(private readonly results: ResultsService) {
    super();
    this.register(
      results.onDidChange((batchId) => {
        for (const doc of vscode.workspace.textDocuments) {
          if ((parseResultsUri(doc.uri) ?? parseFullResultUri(doc.uri))?.batchId === batchId) this.changed.fire(doc.uri);
        }
      }),
    );
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const full = parseFullResultUri(uri);
    if (full) return fullResultText(this.results, full);
    const target = parseResultsUri(uri);
    if (!target) return vscode.l10n.t('Not a results document: {0}\n', uri.toString());
    const doc = await this.results.render(target.batchId, target.section);
    this.rendered.set(uri.toString(), doc);
    return doc.text;
  }

  /** The rendered structure of an open results document (tests, folding, links). */
  structure(uri: vscode.Uri): ResultsDocument | undefined {
    return this.rendered.get(uri.toString());
  }

  provideFoldingRanges(document: vscode.TextDocument): vscode.FoldingRange[] {
    const doc = this.rendered.get(document.uri.toString());
    if (!doc) return [];
    return doc.folding
      .filter((f) => f.end > f.start)
      .map((f) => new vscode.FoldingRange(f.start, f.end, f.kind === 'section' ? vscode.FoldingRangeKind.Region : undefined));
  }

  provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
    const target = parseResultsUri(document.uri);
    const doc = this.rendered.get(document.uri.toString());
    if (!target || !doc || target.section) return [];
    const links: vscode.DocumentLink[] = [];
    for (const section of doc.sections) {
      if (section.count <= section.shown) continue;
      const line = document.lineAt(section.moreLine ?? section.line);
      const link = new vscode.DocumentLink(line.range, vscode.Uri.parse(commandLink(CommandIds.openResultsSection, target.batchId, section.id)));
      link.tooltip = vscode.l10n.t('Open the {0} section on its own', section.title);
      links.push(link);
    }
    return links;
  }
}

/**
 * Serves `claude-batches:` documents to VS Code, through the content provider activation
 * registered for the scheme (`host`); disposing the provider withdraws it.
 */
export function registerResultsDocuments(results: ResultsService, host: { attach(provider: vscode.TextDocumentContentProvider): vscode.Disposable }): ResultsDocumentProvider {
  const provider = new ResultsDocumentProvider(results);
  const selector: vscode.DocumentSelector = { scheme: RESULTS_SCHEME };
  provider.register(host.attach(provider));
  provider.register(vscode.languages.registerFoldingRangeProvider(selector, provider));
  provider.register(vscode.languages.registerDocumentLinkProvider(selector, provider));
  const navigation = new ResultsNavigation(provider);
  provider.register(vscode.languages.registerDocumentSymbolProvider(selector, navigation, { label: vscode.l10n.t('Results') }));
  provider.register(vscode.languages.registerCodeLensProvider(selector, navigation));
  return provider;
}
