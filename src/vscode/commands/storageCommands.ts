import * as vscode from 'vscode';
import { describeError, type BatchesApi, type MessageBatch } from '../../api';
import { formatBytes, formatCount } from '../../common/format';
import { planRegistryPrune } from '../../domain/registryPruning';
import { batchName } from '../../domain/submissionRegistry';
import { removeStaleFiles, scanArchive } from '../../domain/results/archiveFiles';
import { resultsDeletedAt, RETENTION_DAYS } from '../../domain/batchPresentation';
import { UserCancelled } from './commandRunner';
import type { Services } from '../core/services';
import { ui } from '../core/ui';

/** Where the API stands on a batch whose results are stored here. */
type ApiState = 'has' | 'resultsDeleted' | 'batchDeleted' | 'unknown';

function stateOf(batch: MessageBatch, now: number): ApiState {
  if (batch.archived_at || resultsDeletedAt(batch) < now) return 'resultsDeleted';
  return 'has';
}

/**
 * Asks the API about batches the view has not listed, a few at a time. Without a key, or when
 * the API cannot be reached, the answer is 'unknown' (never "deleted").
 */
async function apiStates(services: Services, ids: string[], now: number): Promise<Map<string, ApiState>> {
  const states = new Map<string, ApiState>();
  const unlisted: string[] = [];
  for (const id of ids) {
    const listed = services.store.get(id);
    if (listed) states.set(id, stateOf(listed, now));
    else unlisted.push(id);
  }
  const api = unlisted.length ? (await services.clients.get().catch(() => undefined))?.api : undefined;
  const ask = async (id: string): Promise<void> => {
    if (!api) return void states.set(id, 'unknown');
    try {
      states.set(id, stateOf(await api.retrieve(id, { maxRetries: 0 }), now));
    } catch (err) {
      states.set(id, describeError(err).kind === 'notFound' ? 'batchDeleted' : 'unknown');
    }
  };
  for (let i = 0; i < unlisted.length; i += 4) await Promise.all(unlisted.slice(i, i + 4).map(ask));
  return states;
}

const STATE_TEXT: Record<ApiState, string> = {
  has: vscode.l10n.t('the API still has these results'),
  resultsDeleted: vscode.l10n.t('the API has deleted its copy: this is the only one'),
  batchDeleted: vscode.l10n.t('the batch was deleted from the API: this is the only copy'),
  unknown: vscode.l10n.t('whether the API still has them is unknown (no key, or the API cannot be reached)'),
};

interface StoredItem extends vscode.QuickPickItem {
  batchId: string;
  bytes: number;
  state: ApiState;
}

/**
 * Manage Local Results…: every batch whose results are stored on this machine, with its size,
 * when it was downloaded and whether the API still has the results; the selected copies are
 * deleted once confirmed. Returns the ids deleted.
 */
export async function manageStorage(services: Services): Promise<string[]> {
  const archive = services.results.archive;
  const stored = await archive.list();
  if (stored.length === 0) {
    void ui().info(vscode.l10n.t('No results are stored on this machine ({0}).', archive.dir));
    return [];
  }
  const now = Date.now();
  const states = await apiStates(
    services,
    stored.map((s) => s.batchId),
    now,
  );
  const total = stored.reduce((n, s) => n + s.bytes, 0);
  const items: StoredItem[] = stored
    .sort((a, b) => b.bytes - a.bytes)
    .map((s) => {
      const state = states.get(s.batchId) ?? 'unknown';
      const kind = s.complete ? 'complete' : vscode.l10n.t('partial, {0} of {1}', formatCount(s.lines), formatCount(s.total));
      return {
        label: batchName(services.registry.get(s.batchId), s.batchId),
        description: vscode.l10n.t('{0} · {1} · downloaded {2}', formatBytes(s.bytes), kind, s.downloadedAt.slice(0, 10)),
        detail: `${s.batchId}: ${STATE_TEXT[state]}`,
        batchId: s.batchId,
        bytes: s.bytes,
        state,
      };
    });
  const copies = (n: number) => (n === 1 ? vscode.l10n.t('1 local copy') : vscode.l10n.t('{0} local copies', formatCount(n)));
  const chosen = await ui().pickMany(items, {
    title: vscode.l10n.t('Local results: {0}, {1} in all ({2})', copies(items.length), formatBytes(total), archive.dir),
    placeHolder: vscode.l10n.t('{0} of results, {1} in all. Select the ones to delete.', copies(items.length), formatBytes(total)),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!chosen?.length) return [];
  const bytes = chosen.reduce((n, c) => n + c.bytes, 0);
  const onlyHere = chosen.filter((c) => c.state !== 'has').length;
  const answer = await ui().confirm(
    vscode.l10n.t('Delete {0} of results ({1})?', copies(chosen.length), formatBytes(bytes)),
    onlyHere
      ? vscode.l10n.t('For {0} of them the API has no copy (or it is unknown whether it has one): results you have not saved elsewhere are gone for good.', formatCount(onlyHere))
      : vscode.l10n.t('The API still has these results: they can be downloaded again until it deletes them, {0} days after each batch was created.', RETENTION_DAYS),
    vscode.l10n.t('Delete Local Copies'),
  );
  if (answer !== vscode.l10n.t('Delete Local Copies')) throw new UserCancelled();
  for (const c of chosen) await services.results.deleteLocal(c.batchId);
  // A batch gone from the API with no results here any more: nothing is left to remember it for.
  await services.registry.forgetAll(chosen.filter((c) => c.state === 'batchDeleted').map((c) => c.batchId));
  services.log.info(`Deleted the local results of ${chosen.map((c) => c.batchId).join(', ')} (${formatBytes(bytes)}).`);
  void ui().info(vscode.l10n.t('Deleted {0} of results; {1} freed.', copies(chosen.length), formatBytes(bytes)));
  return chosen.map((c) => c.batchId);
}

export interface PruneReport {
  /** Stale temp and lone meta files removed from the results folder. */
  files: string[];
  bytes: number;
  /** Registry records forgotten. */
  forgotten: string[];
}

/**
 * The tidying done a while after each start: temp files a crash left in the results folder, and
 * registry records of batches that no longer exist (see registryPruning). Looks up at most a few
 * batches on the API, only with a key already set (never asks for one), and stops at the first
 * answer that is not "found" or "not found".
 */
export async function pruneStorage(services: Services, now = Date.now()): Promise<PruneReport> {
  const dir = services.results.dir;
  const removed = await removeStaleFiles(dir, now);
  const local = await scanArchive(dir);
  const plan = planRegistryPrune(services.registry.list(), { now, hasLocalCopy: (id) => !!local.get(id)?.hasResults });
  const forgotten = [...plan.forget];
  let api: BatchesApi | undefined;
  if (plan.check.length) api = (await services.clients.get().catch(() => undefined))?.api;
  for (const id of api ? plan.check : []) {
    if (services.store.get(id)) continue;
    try {
      await api!.retrieve(id, { maxRetries: 0 });
    } catch (err) {
      if (describeError(err).kind !== 'notFound') break;
      forgotten.push(id);
    }
  }
  await services.registry.forgetAll(forgotten);
  if (removed.files.length || forgotten.length) {
    services.log.info(`Tidied local data: ${removed.files.length} stale temp file(s) (${formatBytes(removed.bytes)}) removed, ${forgotten.length} old submission record(s) forgotten.`);
  }
  return { ...removed, forgotten };
}
