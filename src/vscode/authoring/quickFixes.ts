import * as vscode from 'vscode';
import { fixDuplicateCustomId, fixInvalidCustomId, fixMissingCustomId, RuleCode } from '../../domain/jsonl';
import type { BatchFiles } from './batchFiles';

/** Quick fixes for custom_id problems: generate a missing id, make a duplicate unique, repair an invalid one. */
export class CustomIdQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly batchFiles: Pick<BatchFiles, 'isBatch'>) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (!this.batchFiles.isBatch(document)) return [];
    const ours = context.diagnostics.filter((d) => d.source === vscode.l10n.t('Claude Batches'));
    if (ours.length === 0) return [];
    const ids = customIds(document);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of ours) {
      const line = document.lineAt(diagnostic.range.start.line);
      let fixed: string | undefined;
      let title = '';
      switch (diagnostic.code) {
        case RuleCode.missingCustomId:
          fixed = fixMissingCustomId(line.text, ids, line.lineNumber + 1);
          title = vscode.l10n.t('Add a unique custom_id');
          break;
        case RuleCode.duplicateCustomId:
          fixed = fixDuplicateCustomId(line.text, ids);
          title = vscode.l10n.t('Make this custom_id unique');
          break;
        case RuleCode.invalidCustomId:
          fixed = fixInvalidCustomId(line.text, ids, line.lineNumber + 1);
          title = vscode.l10n.t('Replace with a valid custom_id');
          break;
      }
      if (fixed === undefined || fixed === line.text) continue;
      const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(document.uri, line.range, fixed);
      actions.push(action);
    }
    return actions;
  }
}

/** Every custom_id in the document, so a generated one never collides. */
function customIds(document: vscode.TextDocument): Set<string> {
  const ids = new Set<string>();
  const pattern = /"custom_id"\s*:\s*"((?:[^"\\]|\\.)*)"/;
  for (let i = 0; i < document.lineCount; i++) {
    const match = pattern.exec(document.lineAt(i).text);
    if (match) ids.add(match[1]);
  }
  return ids;
}
