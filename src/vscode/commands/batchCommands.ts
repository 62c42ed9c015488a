import * as vscode from 'vscode';
import { describeError, type MessageBatch } from '../../api';
import { apiHasResults, isEnded, isRunning, statusText } from '../../common/batchStatus';
import { formatBytes, formatCount } from '../../common/format';
import { scanArchive } from '../../domain/results/archiveFiles';
import { labelOf, requireApi, resolveBatch } from './batchArgument';
import type { CommandTarget } from './commandArguments';
import { UserCancelled } from './commandRunner';
import type { Services } from '../core/services';
import { ui } from '../core/ui';
import { saveBatchResults } from './resultsCommands';

/** Runs an API call on a batch; a 404 means it vanished, so it leaves the view too. */
async function onBatch<T>(services: Services, batch: MessageBatch, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (describeError(err).kind === 'notFound') services.store.remove(batch.id);
    throw err;
  }
}

export async function cancelBatch(services: Services, target: CommandTarget): Promise<MessageBatch | undefined> {
  const batch = await resolveBatch(services, target, {
    applies: isRunning,
    placeHolder: vscode.l10n.t('Select a running batch to cancel'),
    none: vscode.l10n.t('No batch is running: there is nothing to cancel.'),
  });
  const label = labelOf(services, batch);
  if (!isRunning(batch)) {
    void ui().info(vscode.l10n.t('"{0}" is {1}: there is nothing to cancel.', label, statusText(batch)));
    return undefined;
  }
  const choice = await ui().confirm(
    vscode.l10n.t('Cancel the batch "{0}"?', label),
    vscode.l10n.t('Requests not yet processed are canceled and not billed; requests already being processed may still finish. This cannot be undone.'),
    vscode.l10n.t('Cancel Batch'),
  );
  if (choice !== vscode.l10n.t('Cancel Batch')) throw new UserCancelled();
  const api = await requireApi(services);
  const updated = await onBatch(services, batch, () => api.cancel(batch.id));
  services.store.upsert(updated);
  services.log.info(`Cancel requested for ${batch.id} (${label}).`);
  void ui().info(vscode.l10n.t('Cancel requested for "{0}". It ends once requests in flight finish.', label));
  return updated;
}

const DELETE_KEEP_LOCAL = vscode.l10n.t('Delete, Keep Local Copy');
const DELETE_EVERYWHERE = vscode.l10n.t('Delete Everywhere');
const SAVE_FIRST = vscode.l10n.t('Save Results First');

export async function deleteBatch(services: Services, target: CommandTarget): Promise<boolean> {
  const batch = await resolveBatch(services, target, {
    applies: isEnded,
    placeHolder: vscode.l10n.t('Select an ended batch to delete'),
    none: vscode.l10n.t('No batch has ended yet: only ended batches can be deleted.'),
  });
  const label = labelOf(services, batch);
  if (!isEnded(batch)) {
    const choice = await ui().error(
      vscode.l10n.t('"{0}" is still {1} and cannot be deleted. Cancel it first, then delete it once it has ended.', label, statusText(batch)),
      ...(isRunning(batch) ? [vscode.l10n.t('Cancel Batch')] : []),
    );
    if (choice === vscode.l10n.t('Cancel Batch')) await cancelBatch(services, { kind: 'batch', batch });
    return false;
  }
  // Two copies may exist: Anthropic's (the batch, and its results until the API deletes them) and
  // this machine's (the local copy of the results, and the record of the submission). The user
  // chooses what happens to the local one; the message never says "gone" when a copy stays.
  const resultsOnApi = apiHasResults(batch);
  let saved = false;
  let choice: string | undefined;
  for (;;) {
    const local = await services.results.archive.status(batch.id);
    if (!local && !resultsOnApi) {
      choice = await ui().confirm(
        vscode.l10n.t('Delete the batch "{0}"?', label),
        vscode.l10n.t("The batch is deleted from Anthropic's servers, and this machine's record of it. There is no copy of its results on this machine."),
        DELETE_EVERYWHERE,
      );
      break;
    }
    const size = local ? ` (${formatBytes((await scanArchive(services.results.dir)).get(batch.id)?.bytes ?? 0)})` : '';
    const localText = local
      ? vscode.l10n.t('This machine has a {0} local copy of the results{1}.', local.complete ? 'complete' : vscode.l10n.t('partial ({0} of {1})', formatCount(local.lines), formatCount(local.total)), size)
      : vscode.l10n.t('This machine has no copy of the results yet: keeping a local copy downloads one first.');
    const detail = [
      vscode.l10n.t('"{0}" deletes Anthropic\'s copy of the batch{1} and keeps the local copy (see "Claude Batches: Manage Local Results…").', DELETE_KEEP_LOCAL, resultsOnApi ? vscode.l10n.t(' and its results') : ''),
      vscode.l10n.t('"{0}" deletes both{1}.', DELETE_EVERYWHERE, resultsOnApi && !saved ? vscode.l10n.t(': results you have not saved elsewhere are gone for good') : ''),
      localText,
    ].join('\n\n');
    choice = await ui().confirm(vscode.l10n.t('Delete the batch "{0}"?', label), detail, DELETE_KEEP_LOCAL, DELETE_EVERYWHERE, ...(resultsOnApi && !saved ? [SAVE_FIRST] : []));
    if (choice !== SAVE_FIRST) break;
    if (!(await saveBatchResults(services, batch))) throw new UserCancelled();
    // Saved: ask again about the copies, without this choice.
    saved = true;
  }
  if (choice !== DELETE_KEEP_LOCAL && choice !== DELETE_EVERYWHERE) throw new UserCancelled();
  if (choice === DELETE_KEEP_LOCAL) {
    const local = await services.results.ensureLocal(batch, label);
    if (!local) throw new UserCancelled();
    if (!local.complete && resultsOnApi) {
      void ui().error(
        vscode.l10n.t('"{0}" was not deleted: only {1} of {2} of its results are on this machine. Download them again, or choose "{3}".', label, formatCount(local.lines), formatCount(local.total), DELETE_EVERYWHERE),
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
    void ui().info(vscode.l10n.t('Deleted "{0}" from Anthropic\'s servers and from this machine.', label));
  } else {
    services.log.info(`Deleted ${batch.id} (${label}) from the API; its results stay on this machine.`);
    void ui().info(vscode.l10n.t('Deleted "{0}" from Anthropic\'s servers. Its results stay on this machine ("Claude Batches: Manage Local Results…" lists them).', label));
  }
  return true;
}

export async function copyBatchId(services: Services, target: CommandTarget): Promise<string> {
  const batch = await resolveBatch(services, target, {
    applies: () => true,
    placeHolder: vscode.l10n.t('Select a batch to copy its id'),
    none: vscode.l10n.t('There are no batches yet.'),
  });
  await vscode.env.clipboard.writeText(batch.id);
  vscode.window.setStatusBarMessage(vscode.l10n.t('$(copy) Copied {0}', batch.id), 3000);
  return batch.id;
}
