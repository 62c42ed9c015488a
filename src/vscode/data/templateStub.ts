// What activation registers for batch templates (`*.batch-template.json`): thin providers and
// document listeners that load the data bundle only when a template is actually open. Nothing
// here imports the data code, so dist/extension.js does not grow with it.
import * as vscode from 'vscode';
import { DisposableObject } from '../../domain/lifecycle';
import type { Log } from '../core/log';
import { Settings } from '../core/settings';
import { dataModule } from './dataModule';

/** Kept in step with TEMPLATE_SUFFIX in src/domain/data/template.ts (not imported: that is the data bundle). */
const SUFFIX = '.batch-template.json';
const SELECTOR: vscode.DocumentSelector = { scheme: 'file', pattern: `**/*${SUFFIX}` };
const DEBOUNCE_MS = 300;

function isTemplate(document: vscode.TextDocument): boolean {
  return document.uri.scheme === 'file' && document.fileName.endsWith(SUFFIX);
}

export class TemplateSupport extends DisposableObject {
  readonly diagnostics = this.register(vscode.languages.createDiagnosticCollection('claude-batch-template'));
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly lensesChanged = this.register(new vscode.EventEmitter<void>());
  /** Resolves once the diagnostics of the last scheduled check are set (for tests). */
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly log: Log) {
    super();
    this.register(vscode.languages.registerCompletionItemProvider(SELECTOR, { provideCompletionItems: (d, p) => dataModule().templateCompletions(d, p) }, '{', ':'));
    this.register(vscode.languages.registerCodeLensProvider(SELECTOR, { onDidChangeCodeLenses: this.lensesChanged.event, provideCodeLenses: (d) => dataModule().templateCodeLenses(d, Settings.prices()) }));
    this.register(vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, DEBOUNCE_MS)));
    this.register(vscode.workspace.onDidSaveTextDocument(() => this.lensesChanged.fire()));
    this.register(
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.diagnostics.delete(d.uri);
        clearTimeout(this.timers.get(d.uri.toString()));
      }),
    );
    this.register({ dispose: () => this.timers.forEach((t) => clearTimeout(t)) });
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    if (!isTemplate(document)) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.pending = this.check(document);
      }, delay),
    );
  }

  private async check(document: vscode.TextDocument): Promise<void> {
    try {
      const diagnostics = await dataModule().templateDiagnostics(document);
      if (!document.isClosed) this.diagnostics.set(document.uri, diagnostics);
    } catch (err) {
      this.log.warn(`Checking the template ${document.fileName} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Checks a template now and resolves when its diagnostics are set. */
  async checkNow(document: vscode.TextDocument): Promise<readonly vscode.Diagnostic[]> {
    clearTimeout(this.timers.get(document.uri.toString()));
    await this.pending;
    await this.check(document);
    return this.diagnostics.get(document.uri) ?? [];
  }
}
