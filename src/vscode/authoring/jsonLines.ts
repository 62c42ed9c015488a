import type * as vscode from 'vscode';

/** The language of batch files: shown in the status bar, and chosen by hand from its language picker. */
export const BATCH_LANGUAGE = 'claude-batch';

/**
 * Whether the content of a document is looked at: JSON Lines by language or name. Activation
 * loads the authoring features with the first such document, so this stays free of them.
 */
export function isJsonLines(document: vscode.TextDocument): boolean {
  return document.languageId === BATCH_LANGUAGE || document.languageId === 'jsonl' || document.uri.path.toLowerCase().endsWith('.jsonl');
}
