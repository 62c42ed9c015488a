import * as path from 'node:path';
import * as vscode from 'vscode';
import { classifyBatchText, decideBatchFile, type BatchFileClassification, type BatchFileDecision } from '../../domain/jsonl';
import { DisposableObject } from '../../domain/lifecycle';
import { Settings } from '../core/settings';
import { BATCH_LANGUAGE, isJsonLines } from './jsonLines';

/** The languages VS Code gives a .jsonl file by default: the only ones switched to the batch language. */
const DEFAULT_LANGUAGES = new Set(['jsonl', 'plaintext']);

/** The first lines of a document, read one at a time (never its whole text). */
export function* documentLines(document: vscode.TextDocument): Generator<string> {
  for (let i = 0; i < document.lineCount; i++) yield document.lineAt(i).text;
}

/** Decides for a file from its path, its first lines and whether the batch language was chosen for it. */
export function decideForFile(uri: vscode.Uri, content: BatchFileClassification, batchLanguageChosen: boolean): BatchFileDecision {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const relative = folder ? path.posix.relative(folder.uri.path, uri.path) : uri.path;
  const { include, exclude } = Settings.batchFiles();
  return decideBatchFile({ name: path.posix.basename(uri.path), path: relative, batchLanguageChosen, include, exclude, content });
}

/**
 * Which open documents are batch files (see decideBatchFile), once per version. A .jsonl document
 * whose content makes it one gets the batch language, so the status bar says so and its language
 * picker switches it back; a user who does switch it back is not overruled again.
 */
export class BatchFiles extends DisposableObject {
  private readonly cache = new Map<string, { version: number; languageId: string; decision: BatchFileDecision }>();
  /** Documents this extension gave the batch language, with the language they had. */
  private readonly switched = new Map<string, string>();
  /** Documents switched back to their language by the extension (content no longer a batch). */
  private readonly reverting = new Set<string>();
  /** Documents whose user took the batch language away: left as they chose. */
  private readonly declined = new Set<string>();
  private readonly changed = this.register(new vscode.EventEmitter<vscode.TextDocument>());
  /** Fires when whether a document is a batch file may have changed (settings, language). */
  readonly onDidChange = this.changed.event;

  constructor() {
    super();
    this.register(vscode.workspace.onDidOpenTextDocument((d) => this.opened(d)));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.follow(e.document)));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.cache.delete(d.uri.toString())));
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(`${Settings.section}.batchFiles`)) return;
        this.cache.clear();
        for (const document of vscode.workspace.textDocuments) {
          this.changed.fire(document);
          this.follow(document);
        }
      }),
    );
    for (const document of vscode.workspace.textDocuments) this.follow(document);
  }

  /** Whether the document is a batch file, and why. */
  decide(document: vscode.TextDocument): BatchFileDecision {
    const key = document.uri.toString();
    const cached = this.cache.get(key);
    if (cached && cached.version === document.version && cached.languageId === document.languageId) return cached.decision;
    const decision = this.decideNow(document);
    this.cache.set(key, { version: document.version, languageId: document.languageId, decision });
    return decision;
  }

  isBatch(document: vscode.TextDocument): boolean {
    return this.decide(document).isBatch;
  }

  private decideNow(document: vscode.TextDocument): BatchFileDecision {
    const key = document.uri.toString();
    if (this.declined.has(key)) return { isBatch: false, by: 'language', reason: vscode.l10n.t('its language was changed from Claude Batch (JSONL)') };
    if (!isJsonLines(document)) return decideForFile(document.uri, { kind: 'undecided', reason: vscode.l10n.t('it is not a JSON Lines file') }, false);
    const content = classifyBatchText(documentLines(document));
    const ours = this.switched.has(key) && document.languageId === BATCH_LANGUAGE;
    // A document the extension switched stays a batch file while it is empty or being rewritten;
    // only content that is something else takes it back.
    if (ours) return content.kind === 'notBatch' ? decideForFile(document.uri, content, false) : { isBatch: true, by: 'content', reason: content.reason };
    return decideForFile(document.uri, content, document.languageId === BATCH_LANGUAGE);
  }

  private opened(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    // Changing a language closes the document and opens it again in the new one.
    if (this.switched.has(key) && document.languageId !== BATCH_LANGUAGE) {
      this.switched.delete(key);
      if (!this.reverting.delete(key)) this.declined.add(key);
    } else if (document.languageId === BATCH_LANGUAGE) {
      this.declined.delete(key);
    }
    this.cache.delete(key);
    this.follow(document);
  }

  /** Gives the document the batch language when it became a batch file, or its own back when it stopped being one. */
  private follow(document: vscode.TextDocument): void {
    // Only a document in a default language or the batch language is ever switched: any other
    // (source files, output channels) costs nothing here, whatever is typed in it.
    if (document.isClosed || !(DEFAULT_LANGUAGES.has(document.languageId) || document.languageId === BATCH_LANGUAGE)) return;
    const key = document.uri.toString();
    const { isBatch } = this.decide(document);
    if (isBatch && DEFAULT_LANGUAGES.has(document.languageId) && !this.declined.has(key)) {
      this.switched.set(key, document.languageId);
      void this.setLanguage(document, BATCH_LANGUAGE, () => this.switched.delete(key));
    } else if (!isBatch && document.languageId === BATCH_LANGUAGE && this.switched.has(key)) {
      const previous = this.switched.get(key)!;
      this.reverting.add(key);
      void this.setLanguage(document, previous, () => this.reverting.delete(key));
    }
  }

  private async setLanguage(document: vscode.TextDocument, languageId: string, undo: () => void): Promise<void> {
    try {
      await vscode.languages.setTextDocumentLanguage(document, languageId);
    } catch {
      // The document closed meanwhile: nothing to switch.
      undo();
    }
  }
}
