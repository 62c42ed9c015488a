import * as vscode from 'vscode';
import type { Diagnostic } from '../../domain/jsonl';
import { DisposableObject } from '../../domain/lifecycle';
import type { BatchFiles } from './batchFiles';
import { DocumentValidation } from './documentValidation';

/** Wait for typing to pause before validating; a newer edit restarts the wait. */
const DEBOUNCE_MS = 300;

/**
 * Problems in batch files as you type: every mistake the API would reject the batch or a request
 * for, with line and column, in the Problems panel. Debounced per document; an edit that comes in
 * while waiting cancels the pending run.
 */
export class BatchDiagnostics extends DisposableObject {
  readonly collection = this.register(vscode.languages.createDiagnosticCollection('claude-batches'));
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  /** Fires after a document's diagnostics were updated (tests, CodeLens). */
  readonly onDidUpdate = this.changed.event;

  constructor(
    private readonly validation: DocumentValidation,
    private readonly batchFiles: Pick<BatchFiles, 'isBatch' | 'onDidChange'>,
  ) {
    super();
    this.register(batchFiles.onDidChange((d) => this.schedule(d, 0)));
    this.register(vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, DEBOUNCE_MS)));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.clear(d)));
    // Registered last, so disposed first: no pending run fires into a disposed collection.
    this.register({ dispose: () => this.pending.forEach((timer) => clearTimeout(timer)) });
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    const key = document.uri.toString();
    clearTimeout(this.pending.get(key));
    if (!this.batchFiles.isBatch(document)) {
      // Not (or no longer) a batch file: none of its lines is a request to check.
      this.pending.delete(key);
      if (this.collection.has(document.uri)) {
        this.collection.delete(document.uri);
        this.changed.fire(document.uri);
      }
      return;
    }
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        if (document.isClosed) return;
        if (!this.batchFiles.isBatch(document)) {
          this.schedule(document, 0);
          return;
        }
        this.collection.set(document.uri, this.toVsCode(document, this.validation.get(document).diagnostics));
        this.changed.fire(document.uri);
      }, delay),
    );
  }

  private toVsCode(document: vscode.TextDocument, diagnostics: readonly Diagnostic[]): vscode.Diagnostic[] {
    return diagnostics.map((d) => {
      const line = Math.min(d.line - 1, document.lineCount - 1);
      const start = new vscode.Position(line, Math.max(0, d.column - 1));
      const endLine = d.endLine !== undefined ? Math.min(d.endLine - 1, document.lineCount - 1) : line;
      const end =
        d.endColumn !== undefined
          ? new vscode.Position(endLine, Math.max(start.character + 1, d.endColumn - 1))
          : document.lineAt(line).range.end;
      const diagnostic = new vscode.Diagnostic(new vscode.Range(start, end.isBefore(start) ? start : end), d.message, severity(d.severity));
      diagnostic.source = vscode.l10n.t('Claude Batches');
      diagnostic.code = d.code;
      if (d.related?.length) {
        diagnostic.relatedInformation = d.related.map(
          (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(document.uri, new vscode.Position(r.line - 1, Math.max(0, r.column - 1))), r.message),
        );
      }
      return diagnostic;
    });
  }

  private clear(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.delete(key);
    this.collection.delete(document.uri);
    this.validation.forget(document);
  }
}

function severity(s: Diagnostic['severity']): vscode.DiagnosticSeverity {
  if (s === 'error') return vscode.DiagnosticSeverity.Error;
  if (s === 'warning') return vscode.DiagnosticSeverity.Warning;
  return vscode.DiagnosticSeverity.Information;
}
