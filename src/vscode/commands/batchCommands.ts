import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeError, type MessageBatch } from '../../api';
import { labelOf, requireApi, resolveBatch } from '../batchArgument';
import { UserCancelled } from '../commandRunner';
import type { Services } from '../services';
import { ui } from '../ui';
import { saveBatchResults, saveResults as saveResultsOf } from './resultsCommands';
import { GroupNode } from '../views/batchesTree';

const isRunning = (b: MessageBatch) => b.processing_status === 'in_progress';
const isEnded = (b: MessageBatch) => b.processing_status === 'ended';

/** Runs an API call on a batch; a 404 means it vanished, so it leaves the view too. */
async function onBatch<T>(services: Services, batch: MessageBatch, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (describeError(err).kind === 'notFound') services.store.remove(batch.id);
    throw err;
  }
}

export async function cancelBatch(services: Services, arg: unknown): Promise<MessageBatch | undefined> {
  const batch = await resolveBatch(services, arg, {
    applies: isRunning,
    placeHolder: 'Select a running batch to cancel',
    none: 'No batch is running: there is nothing to cancel.',
  });
  const label = labelOf(services, batch);
  if (!isRunning(batch)) {
    void ui().info(`"${label}" is ${batch.processing_status.replace('_', ' ')}: there is nothing to cancel.`);
    return undefined;
  }
  const choice = await ui().confirm(
    `Cancel the batch "${label}"?`,
    'Requests not yet processed are canceled and not billed; requests already being processed may still finish. This cannot be undone.',
    'Cancel Batch',
  );
  if (choice !== 'Cancel Batch') throw new UserCancelled();
  const api = await requireApi(services);
  const updated = await onBatch(services, batch, () => api.cancel(batch.id));
  services.store.upsert(updated);
  services.log.info(`Cancel requested for ${batch.id} (${label}).`);
  void ui().info(`Cancel requested for "${label}". It ends once requests in flight finish.`);
  return updated;
}

export async function deleteBatch(services: Services, arg: unknown): Promise<boolean> {
  const batch = await resolveBatch(services, arg, {
    applies: isEnded,
    placeHolder: 'Select an ended batch to delete',
    none: 'No batch has ended yet: only ended batches can be deleted.',
  });
  const label = labelOf(services, batch);
  if (!isEnded(batch)) {
    const choice = await ui().error(
      `"${label}" is still ${batch.processing_status.replace('_', ' ')} and cannot be deleted. Cancel it first, then delete it once it has ended.`,
      ...(isRunning(batch) ? ['Cancel Batch'] : []),
    );
    if (choice === 'Cancel Batch') await cancelBatch(services, batch.id);
    return false;
  }
  const hasResults = !!batch.results_url && !batch.archived_at;
  const choice = await ui().confirm(
    `Delete the batch "${label}"?`,
    hasResults
      ? "The batch and its results are deleted from Anthropic's servers. Results you have not saved are gone for good."
      : "The batch is deleted from Anthropic's servers.",
    'Delete',
    ...(hasResults ? ['Save Results First'] : []),
  );
  if (choice === 'Save Results First') {
    const saved = await saveBatchResults(services, services.results, batch);
    if (!saved) throw new UserCancelled();
  } else if (choice !== 'Delete') {
    throw new UserCancelled();
  }
  const api = await requireApi(services);
  await onBatch(services, batch, () => api.delete(batch.id));
  services.store.remove(batch.id);
  services.log.info(`Deleted ${batch.id} (${label}).`);
  void ui().info(`Deleted "${label}".`);
  return true;
}

/** The results of every batch of a split file, merged into one JSONL file. */
async function saveGroupResults(services: Services, groupId: string): Promise<boolean> {
  const part = (b: MessageBatch) => services.registry.get(b.id)?.group;
  const batches = services.store.batches.filter((b) => part(b)?.id === groupId).sort((a, b) => part(a)!.part - part(b)!.part);
  const info = batches[0] && part(batches[0]);
  if (!info) {
    void ui().error('None of the batches of this group are listed any more.');
    return false;
  }
  if (batches.length < info.parts || batches.some((b) => !isEnded(b))) {
    void ui().info(`"${info.label}" has ${info.parts} batches; ${batches.filter(isEnded).length} of them have ended and are listed. Its results can be saved merged once all have ended.`);
    return false;
  }
  const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
  const target = await ui().saveDialog({
    title: `Save the results of "${info.label}" (${batches.length} batches, merged)`,
    defaultUri: vscode.Uri.joinPath(base, `${path.parse(info.label).name}.results.jsonl`),
    filters: { 'JSON Lines': ['jsonl'] },
    saveLabel: 'Save Results',
  });
  if (!target) return false;
  const locals = [];
  for (const batch of batches) {
    const local = await services.results.ensureLocal(batch, labelOf(services, batch));
    if (!local) return false;
    locals.push(local);
  }
  const out = fs.createWriteStream(target.fsPath);
  for (const local of locals) {
    for await (const chunk of fs.createReadStream(local.path)) if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const lines = locals.reduce((n, l) => n + l.lines, 0);
  void ui().info(`Saved the merged results of "${info.label}" (${batches.length} batches, ${lines.toLocaleString('en-US')} results) to ${vscode.workspace.asRelativePath(target)}.`);
  return true;
}

/** Save Results…: one batch (all or one outcome, optionally joined), or a split file's group merged. */
export async function saveResults(services: Services, arg: unknown): Promise<boolean> {
  if (arg instanceof GroupNode) return saveGroupResults(services, arg.groupId);
  if (typeof arg === 'string' && arg.startsWith('group:')) return saveGroupResults(services, arg.slice('group:'.length));
  return saveResultsOf(services, services.results, arg);
}

export async function copyBatchId(services: Services, arg: unknown): Promise<string> {
  const batch = await resolveBatch(services, arg, {
    applies: () => true,
    placeHolder: 'Select a batch to copy its id',
    none: 'There are no batches yet.',
  });
  await vscode.env.clipboard.writeText(batch.id);
  vscode.window.setStatusBarMessage(`$(copy) Copied ${batch.id}`, 3000);
  return batch.id;
}
