// Finding one's way in a results document: its Outline (sections, error types, entries by
// custom_id), an "Open in Full" CodeLens on each entry's heading, and in a result opened in full,
// a CodeLens switching between its Markdown and its raw JSON. Everything comes from the structure
// the renderer recorded for the document (ResultsDocumentProvider.structure), never from its text.
import * as vscode from 'vscode';
import type { OutlineSymbol } from '../../domain/results';
import { CommandIds } from '../commands/commandIds';
import { commandOf } from '../commands/commandRunner';
import type { ResultsDocumentProvider } from './resultsDocumentProvider';
import { resultsModule } from './resultsModule';
import { parseFullResultUri, parseResultsUri } from './resultsUri';

const SYMBOL_KINDS: Record<OutlineSymbol['kind'], vscode.SymbolKind> = {
  section: vscode.SymbolKind.Namespace,
  group: vscode.SymbolKind.Enum,
  entry: vscode.SymbolKind.Field,
};

export class ResultsNavigation implements vscode.CodeLensProvider, vscode.DocumentSymbolProvider {
  constructor(private readonly documents: ResultsDocumentProvider) {}

  provideDocumentSymbols(document: vscode.TextDocument): vscode.DocumentSymbol[] {
    const doc = this.documents.structure(document.uri);
    if (!doc || !parseResultsUri(document.uri)) return [];
    const last = document.lineCount - 1;
    const toSymbol = (s: OutlineSymbol): vscode.DocumentSymbol => {
      const end = document.lineAt(Math.min(s.endLine, last)).range.end;
      const start = new vscode.Position(Math.min(s.line, last), 0);
      const symbol = new vscode.DocumentSymbol(s.name || vscode.l10n.t('(no custom_id)'), s.detail, SYMBOL_KINDS[s.kind], new vscode.Range(start, end), document.lineAt(start.line).range);
      symbol.children = s.children.map(toSymbol);
      return symbol;
    };
    return resultsModule().resultsOutline(doc).map(toSymbol);
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const full = parseFullResultUri(document.uri);
    if (full) {
      const other = full.view === 'json' ? vscode.l10n.t('Show as Markdown') : vscode.l10n.t('Show Raw JSON');
      return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), commandOf(CommandIds.toggleResultView, other, document.uri))];
    }
    const target = parseResultsUri(document.uri);
    const doc = this.documents.structure(document.uri);
    if (!target || !doc) return [];
    return doc.entries
      .filter((e) => e.line < document.lineCount)
      .map((e) => new vscode.CodeLens(new vscode.Range(e.line, 0, e.line, 0), commandOf(CommandIds.openResultInFull, vscode.l10n.t('Open in Full'), target.batchId, e.customId, e.at)));
  }
}
