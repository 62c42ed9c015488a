import * as vscode from 'vscode';
import { DisposableObject } from '../../domain/lifecycle';
import { BatchDiagnostics } from './batchDiagnostics';
import { DocumentValidation, isBatchDocument } from './documentValidation';
import { CustomIdQuickFixes } from './quickFixes';
import { SubmitCodeLens } from './submitCodeLens';

const selector: vscode.DocumentSelector = [{ language: 'jsonl' }, { pattern: '**/*.jsonl' }];

/** Authoring batch files: diagnostics as you type, quick fixes, and the submit CodeLens. */
export class Authoring extends DisposableObject {
  readonly diagnostics: BatchDiagnostics;

  constructor() {
    super();
    const validation = new DocumentValidation();
    this.diagnostics = this.register(new BatchDiagnostics(validation));
    const codeLens = this.register(new SubmitCodeLens(validation, this.diagnostics));
    this.register(vscode.languages.registerCodeLensProvider(selector, codeLens));
    this.register(vscode.languages.registerCodeActionsProvider(selector, new CustomIdQuickFixes(), { providedCodeActionKinds: CustomIdQuickFixes.kinds }));
  }
}

/**
 * The authoring features, registered with the first batch document (open at the start, or opened
 * later): a window without one pays nothing for them at activation, which now runs on every start.
 */
export class LazyAuthoring extends DisposableObject {
  private authoring: Authoring | undefined;

  constructor() {
    super();
    if (vscode.workspace.textDocuments.some(isBatchDocument)) {
      this.ensure();
    } else {
      const waiting = this.register(
        vscode.workspace.onDidOpenTextDocument((document) => {
          if (!isBatchDocument(document)) return;
          waiting.dispose();
          this.ensure();
        }),
      );
    }
  }

  /** Whether the features are registered yet. */
  get registered(): boolean {
    return this.authoring !== undefined;
  }

  /** The features, registered now if they were not. */
  ensure(): Authoring {
    this.authoring ??= this.register(new Authoring());
    return this.authoring;
  }
}

/** Registers the authoring features with the first batch document; disposing what it returns withdraws them. */
export function registerAuthoring(): LazyAuthoring {
  return new LazyAuthoring();
}
