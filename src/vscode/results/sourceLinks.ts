import * as vscode from 'vscode';
import type { ResultsDocumentProvider } from './resultsDocumentProvider';
import { RESULTS_SCHEME } from './resultsUri';
import { sourceLineWords } from '../../domain/results/sourceLineWords';

/** The prompt line is among the first lines of an entry. */
const LINES_TO_LOOK = 3;

/**
 * Links each entry of a results document to its request's line in the batch file (the file's
 * URI with an `L<line>` fragment, which opens the editor at that line), only when the file is
 * there and unchanged since it was submitted: in an edited file a line number may name another
 * request, and the document's header says why there are no links.
 */
export class SourceLinks implements vscode.DocumentLinkProvider {
  constructor(private readonly documents: Pick<ResultsDocumentProvider, 'structure'>) {}

  provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
    const doc = this.documents.structure(document.uri);
    if (!doc?.linkedSource) return [];
    const file = vscode.Uri.file(doc.linkedSource);
    const links: vscode.DocumentLink[] = [];
    for (const entry of doc.entries) {
      if (entry.sourceLine === undefined) continue;
      const last = Math.min(document.lineCount - 1, entry.line + LINES_TO_LOOK);
      // What the entry's body says of its request's place, `(source line N)`, last on its prompt
      // line, in the words the document was written in (the same message, the same bundle).
      const words = sourceLineWords(entry.sourceLine);
      for (let line = entry.line + 1; line <= last; line++) {
        const text = document.lineAt(line).text;
        // The last one: a prompt's own text could say "(source line N)" too.
        const at = text.lastIndexOf(`(${words})`);
        if (at < 0) continue;
        const link = new vscode.DocumentLink(new vscode.Range(line, at + 1, line, at + 1 + words.length), file.with({ fragment: `L${entry.sourceLine}` }));
        link.tooltip = vscode.l10n.t('Open the request {0} in the batch file', entry.customId);
        links.push(link);
        break;
      }
    }
    return links;
  }
}

/** Links results entries to their requests' lines; disposing what it returns withdraws it. */
export function registerSourceLinks(documents: ResultsDocumentProvider): vscode.Disposable {
  return vscode.languages.registerDocumentLinkProvider({ scheme: RESULTS_SCHEME }, new SourceLinks(documents));
}
