import * as vscode from 'vscode';
import { BatchDiagnostics } from './batchDiagnostics';
import { DocumentValidation } from './documentValidation';
import { CustomIdQuickFixes } from './quickFixes';
import { SubmitCodeLens } from './submitCodeLens';

const selector: vscode.DocumentSelector = [{ language: 'jsonl' }, { pattern: '**/*.jsonl' }];

/** Authoring batch files: diagnostics as you type, quick fixes, and the submit CodeLens. */
export function registerAuthoring(): { disposables: vscode.Disposable[]; diagnostics: BatchDiagnostics } {
  const validation = new DocumentValidation();
  const diagnostics = new BatchDiagnostics(validation);
  const codeLens = new SubmitCodeLens(validation, diagnostics);
  return {
    diagnostics,
    disposables: [
      diagnostics,
      codeLens,
      vscode.languages.registerCodeLensProvider(selector, codeLens),
      vscode.languages.registerCodeActionsProvider(selector, new CustomIdQuickFixes(), { providedCodeActionKinds: CustomIdQuickFixes.kinds }),
    ],
  };
}
