import * as vscode from 'vscode';
import { DisposableObject } from '../../domain/lifecycle';
import { BatchDiagnostics } from './batchDiagnostics';
import { DocumentValidation } from './documentValidation';
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

/** Registers the authoring features; disposing what it returns withdraws them. */
export function registerAuthoring(): Authoring {
  return new Authoring();
}
