import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeError, type MessageBatch } from '../../api';
import type { MergePart } from '../../domain/results';
import { labelOf, requireApi, resolveBatch } from '../batchArgument';
import { UserCancelled } from '../commandRunner';
import type { Services } from '../services';
import { ui } from '../ui';
import { resultsModule } from '../results/resultsModule';
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

/**
 * The results of every batch of a split file, merged into one JSONL file. A part that is no
 * longer listed (deleted) is taken from its local copy; one with no local copy either is left
 * out once the user agrees, and the message says how many results the file lacks.
 */
async function saveGroupResults(services: Services, groupId: string): Promise<boolean> {
  const records = services.registry
    .list()
    .filter((r) => r.group?.id === groupId)
    .sort((a, b) => a.group!.part - b.group!.part);
  const info = records[0]?.group;
  if (!info) {
    void ui().error('This group of batches is not known on this machine any more.');
    return false;
  }
  const listed = records.map((r) => services.store.get(r.batchId));
  const running = listed.filter((b): b is MessageBatch => !!b && !isEnded(b));
  if (running.length > 0) {
    void ui().info(`"${info.label}" has ${info.parts} batches; ${running.length} of them have not ended yet. Its results can be saved merged once all have ended.`);
    return false;
  }
  const { mergeNote, mergeResults } = resultsModule();
  // Parts 1…N: listed batches are downloaded as needed; the others can only come from a local copy.
  const parts: (MergePart & { batch?: MessageBatch })[] = [];
  for (let part = 1; part <= info.parts; part++) {
    const index = records.findIndex((r) => r.group!.part === part);
    const record = records[index];
    const batch = listed[index];
    const label = record ? `${record.label} (${part}/${info.parts})` : `${info.label} (${part}/${info.parts})`;
    const local = record && !batch ? await services.results.archive.status(record.batchId) : undefined;
    parts.push({ batch, label, path: local?.path, lines: local?.lines ?? 0, total: local?.total ?? record?.requestCount ?? 0, complete: local?.complete ?? false });
  }
  const lacking = parts.filter((p) => !p.batch && !p.path);
  if (lacking.length === info.parts) {
    void ui().error(`None of the batches of "${info.label}" are listed, and none has a local copy: there is nothing to save.`);
    return false;
  }
  if (lacking.length > 0) {
    const choice = await ui().confirm(
      `Save the results of "${info.label}" without ${lacking.map((p) => p.label).join(', ')}?`,
      `${lacking.length === 1 ? 'This batch is' : 'These batches are'} not listed (deleted, or further down the list: "Load more…" lists more) and have no local copy on this machine. The file will lack their results.`,
      'Save Without Them',
    );
    if (choice !== 'Save Without Them') throw new UserCancelled();
  }
  const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
  const target = await ui().saveDialog({
    title: `Save the results of "${info.label}" (${info.parts} batches, merged)`,
    defaultUri: vscode.Uri.joinPath(base, `${path.parse(info.label).name}.results.jsonl`),
    filters: { 'JSON Lines': ['jsonl'] },
    saveLabel: 'Save Results',
  });
  if (!target) return false;
  for (const part of parts) {
    if (!part.batch) continue;
    const local = await services.results.ensureLocal(part.batch, labelOf(services, part.batch));
    if (!local) return false;
    Object.assign(part, { path: local.path, lines: local.lines, total: local.total, complete: local.complete });
  }
  const merged = await mergeResults({ parts, output: target.fsPath });
  const where = vscode.workspace.asRelativePath(target);
  const note = mergeNote(merged, parts);
  const saved = `Saved the merged results of "${info.label}" (${info.parts} batches, ${merged.lines.toLocaleString('en-US')} results) to ${where}.`;
  if (note) {
    services.log.warn(`${saved} ${note}`);
    void ui().warn(`${saved} ${note}`);
  } else {
    void ui().info(saved);
  }
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
