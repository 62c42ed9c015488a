import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeError, type MessageBatch } from '../../api';
import { formatBytes } from '../../domain/jsonl/batchValidator';
import type { MergePart } from '../../domain/results';
import { scanArchive } from '../../domain/results/archiveFiles';
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

const DELETE_KEEP_LOCAL = 'Delete, Keep Local Copy';
const DELETE_EVERYWHERE = 'Delete Everywhere';
const SAVE_FIRST = 'Save Results First';

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
  // Two copies may exist: Anthropic's (the batch, and its results until the API deletes them) and
  // this machine's (the local copy of the results, and the record of the submission). The user
  // chooses what happens to the local one; the message never says "gone" when a copy stays.
  const apiHasResults = !!batch.results_url && !batch.archived_at;
  let saved = false;
  let choice: string | undefined;
  for (;;) {
    const local = await services.results.archive.status(batch.id);
    if (!local && !apiHasResults) {
      choice = await ui().confirm(
        `Delete the batch "${label}"?`,
        "The batch is deleted from Anthropic's servers, and this machine's record of it. There is no copy of its results on this machine.",
        DELETE_EVERYWHERE,
      );
      break;
    }
    const size = local ? ` (${formatBytes((await scanArchive(services.results.dir)).get(batch.id)?.bytes ?? 0)})` : '';
    const localText = local
      ? `This machine has a ${local.complete ? 'complete' : `partial (${local.lines.toLocaleString('en-US')} of ${local.total.toLocaleString('en-US')})`} local copy of the results${size}.`
      : 'This machine has no copy of the results yet: keeping a local copy downloads one first.';
    const detail = [
      `"${DELETE_KEEP_LOCAL}" deletes Anthropic's copy of the batch${apiHasResults ? ' and its results' : ''} and keeps the local copy (see "Claude Batches: Manage Local Results…").`,
      `"${DELETE_EVERYWHERE}" deletes both${apiHasResults && !saved ? ': results you have not saved elsewhere are gone for good' : ''}.`,
      localText,
    ].join('\n\n');
    choice = await ui().confirm(`Delete the batch "${label}"?`, detail, DELETE_KEEP_LOCAL, DELETE_EVERYWHERE, ...(apiHasResults && !saved ? [SAVE_FIRST] : []));
    if (choice !== SAVE_FIRST) break;
    if (!(await saveBatchResults(services, services.results, batch))) throw new UserCancelled();
    // Saved: ask again about the copies, without this choice.
    saved = true;
  }
  if (choice !== DELETE_KEEP_LOCAL && choice !== DELETE_EVERYWHERE) throw new UserCancelled();
  if (choice === DELETE_KEEP_LOCAL) {
    const local = await services.results.ensureLocal(batch, label);
    if (!local) throw new UserCancelled();
    if (!local.complete && apiHasResults) {
      void ui().error(
        `"${label}" was not deleted: only ${local.lines.toLocaleString('en-US')} of ${local.total.toLocaleString('en-US')} of its results are on this machine. Download them again, or choose "${DELETE_EVERYWHERE}".`,
      );
      return false;
    }
  }
  const api = await requireApi(services);
  await onBatch(services, batch, () => api.delete(batch.id));
  services.store.remove(batch.id);
  if (choice === DELETE_EVERYWHERE) {
    await services.results.deleteLocal(batch.id);
    await services.registry.forget(batch.id);
    services.log.info(`Deleted ${batch.id} (${label}) from the API and from this machine.`);
    void ui().info(`Deleted "${label}" from Anthropic's servers and from this machine.`);
  } else {
    services.log.info(`Deleted ${batch.id} (${label}) from the API; its results stay on this machine.`);
    void ui().info(`Deleted "${label}" from Anthropic's servers. Its results stay on this machine ("Claude Batches: Manage Local Results…" lists them).`);
  }
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
    parts.push({ batch, label, path: local?.path, lines: local?.lines ?? 0, total: local?.total ?? record?.requestCount, complete: local?.complete ?? false });
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
