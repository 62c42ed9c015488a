// Compare Results… (two batches' answers side by side, aligned by custom_id, in a diff editor) and
// Usage (tokens and cost of the batches whose results are on this machine). Both read local
// copies; Compare downloads a copy that is not here yet, once.
import * as vscode from 'vscode';
import type { MessageBatch } from '../../api';
import { isEnded, statusText } from '../../common/batchStatus';
import { labelOf, resolveBatch } from './batchArgument';
import { commandTarget, type CommandTarget } from './commandArguments';
import { executeCommand, UserCancelled } from './commandRunner';
import { comparisonUri } from '../results/comparisonDocuments';
import { USAGE_URI } from '../results/usageDocument';
import type { Services } from '../core/services';
import { ui } from '../core/ui';

/** The batches a command was handed: the Batches view passes the clicked row, then every selected row. */
function targetsOf(first: CommandTarget, more: unknown): CommandTarget[] {
  if (Array.isArray(more)) {
    const selected = more.map(commandTarget).filter((t) => t.kind === 'batch' || t.kind === 'batchId');
    if (selected.length > 0) return selected;
  }
  const second = more === undefined ? undefined : commandTarget(more);
  return [first, ...(second && second.kind !== 'none' ? [second] : [])].filter((t) => t.kind === 'batch' || t.kind === 'batchId');
}

async function endedBatch(services: Services, target: CommandTarget, placeHolder: string, except?: string): Promise<MessageBatch> {
  const batch = await resolveBatch(services, target, {
    applies: (b) => isEnded(b) && b.id !== except,
    placeHolder,
    none: except ? vscode.l10n.t('No other batch has ended: results can be compared once two batches have ended.') : vscode.l10n.t('No batch has ended yet: results can be compared once two batches have ended.'),
  });
  if (!isEnded(batch)) {
    void ui().info(vscode.l10n.t('"{0}" is still {1}: its results can be compared once it has ended.', labelOf(services, batch), statusText(batch)));
    throw new UserCancelled();
  }
  return batch;
}

/**
 * Opens a diff editor of two batches' results aligned by custom_id: the two rows selected in the
 * Batches view, the two batches given, or two picks. Returns the two sides' URIs.
 */
export async function compareResults(services: Services, target: CommandTarget, more: unknown): Promise<vscode.Uri[]> {
  const targets = targetsOf(target, more);
  if (targets.length > 2) {
    void ui().info(vscode.l10n.t('{0} batches are selected: select two to compare their results.', targets.length));
    throw new UserCancelled();
  }
  const left = await endedBatch(services, targets[0] ?? { kind: 'none' }, vscode.l10n.t('Select the first batch to compare'));
  const right = await endedBatch(services, targets[1] ?? { kind: 'none' }, vscode.l10n.t('Select the batch to compare with "{0}"', labelOf(services, left)), left.id);
  if (left.id === right.id) {
    void ui().info(vscode.l10n.t('Select two different batches to compare.'));
    throw new UserCancelled();
  }
  for (const batch of [left, right]) {
    if (!(await services.results.ensureLocal(batch, labelOf(services, batch)))) throw new UserCancelled();
  }
  const pair = { left: left.id, right: right.id };
  const uris = [comparisonUri(pair, 'left', labelOf(services, left)), comparisonUri(pair, 'right', labelOf(services, right))];
  await executeCommand('vscode.diff', uris[0], uris[1], `${labelOf(services, left)} ↔ ${labelOf(services, right)} (results by custom_id)`, { preview: false });
  return uris;
}

/** Opens the Usage report (a read-only Markdown document). */
export async function showUsage(): Promise<vscode.Uri> {
  const document = await vscode.workspace.openTextDocument(USAGE_URI);
  if (document.languageId !== 'markdown') await vscode.languages.setTextDocumentLanguage(document, 'markdown');
  await vscode.window.showTextDocument(document, { preview: false });
  return USAGE_URI;
}
