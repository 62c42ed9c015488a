import * as vscode from 'vscode';
import { DisposableObject } from '../../domain/lifecycle';
import { BatchDiagnostics } from './batchDiagnostics';
import { BATCH_LANGUAGE, BatchFiles } from './batchFiles';
import { DocumentValidation } from './documentValidation';
import { CustomIdQuickFixes } from './quickFixes';
import { SubmitCodeLens } from './submitCodeLens';

// Every document that may be a batch file; the providers answer only for those BatchFiles says are.
const selector: vscode.DocumentSelector = [{ language: BATCH_LANGUAGE }, { language: 'jsonl' }, { pattern: '**/*.jsonl' }];

/** Authoring batch files: diagnostics as you type, quick fixes, and the submit CodeLens. */
export class Authoring extends DisposableObject {
  readonly diagnostics: BatchDiagnostics;
  readonly batchFiles: BatchFiles;

  constructor() {
    super();
    const validation = new DocumentValidation();
    this.batchFiles = this.register(new BatchFiles());
    this.diagnostics = this.register(new BatchDiagnostics(validation, this.batchFiles));
    const codeLens = this.register(new SubmitCodeLens(validation, this.diagnostics, this.batchFiles));
    this.register(vscode.languages.registerCodeLensProvider(selector, codeLens));
    this.register(vscode.languages.registerCodeActionsProvider(selector, new CustomIdQuickFixes(this.batchFiles), { providedCodeActionKinds: CustomIdQuickFixes.kinds }));
  }
}

/** Registers the authoring features; disposing what it returns withdraws them. */
export function registerAuthoring(): Authoring {
  return new Authoring();
}
