import * as vscode from 'vscode';
import { validateBatchText, type BatchValidation } from '../../domain/jsonl';

/**
 * Validates open batch documents, once per version: the diagnostics and the CodeLens share the
 * result instead of each validating again.
 */
export class DocumentValidation {
  private readonly cache = new Map<string, { version: number; result: BatchValidation }>();

  get(document: vscode.TextDocument): BatchValidation {
    const key = document.uri.toString();
    const cached = this.cache.get(key);
    if (cached && cached.version === document.version) return cached.result;
    const result = validateBatchText(document.getText());
    this.cache.set(key, { version: document.version, result });
    return result;
  }

  forget(document: vscode.TextDocument): void {
    this.cache.delete(document.uri.toString());
  }
}
