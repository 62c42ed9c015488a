// The results commands: Open Results (whole, or one section), Save Results… (one batch, or a
// split file's batches merged) and Retry Failed Requests. All read the local copy of the results
// (services.results), downloading it once.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MessageBatch } from '../../api';
import { isEnded, statusText } from '../../common/batchStatus';
import { formatCount } from '../../common/format';
import type { MergePart, SectionId } from '../../domain/results';
import { labelOf, resolveBatch } from './batchArgument';
import type { CommandTarget } from './commandArguments';
import { CommandIds } from './commandIds';
import { executeCommand, UserCancelled } from './commandRunner';
import { RESULTS_LANGUAGE } from '../results/resultsDocumentProvider';
import { resultsModule } from '../results/resultsModule';
import { resultsUri } from '../results/resultsUri';
import type { Services } from '../core/services';
import { ui } from '../core/ui';
import { recordLabel } from '../../domain/submissionRegistry';

/** Save Results…: the choice of one outcome, each a whole message. */
const OUTCOME_ONLY: Record<'succeeded' | 'errored' | 'expired' | 'canceled', () => string> = {
  succeeded: () => vscode.l10n.t('Succeeded only'),
  errored: () => vscode.l10n.t('Errored only'),
  expired: () => vscode.l10n.t('Expired only'),
  canceled: () => vscode.l10n.t('Canceled only'),
};

async function endedBatch(services: Services, target: CommandTarget, verb: string): Promise<MessageBatch> {
  const batch = await resolveBatch(services, target, {
    applies: isEnded,
    placeHolder: vscode.l10n.t('Select a batch to {0}', verb),
    none: vscode.l10n.t('No batch has ended yet: results exist once a batch has ended.'),
  });
  if (!isEnded(batch)) {
    void ui().info(vscode.l10n.t('"{0}" is still {1}: its results can be opened once it has ended.', labelOf(services, batch), statusText(batch)));
    throw new UserCancelled();
  }
  return batch;
}

/** Opens the grouped results document of an ended batch, downloading the results once. */
export async function openResults(services: Services, target: CommandTarget, section?: SectionId): Promise<vscode.Uri | undefined> {
  const batch = await endedBatch(services, target, vscode.l10n.t('open its results'));
  const label = labelOf(services, batch);
  const local = await services.results.ensureLocal(batch, label, { forDocument: !section });
  if (!local) throw new UserCancelled();
  const uri = resultsUri({ batchId: batch.id, label, section });
  const document = await vscode.workspace.openTextDocument(uri);
  if (document.languageId !== RESULTS_LANGUAGE) await vscode.languages.setTextDocumentLanguage(document, RESULTS_LANGUAGE);
  await vscode.window.showTextDocument(document, { preview: false });
  return uri;
}

interface SaveChoice extends vscode.QuickPickItem {
  section?: SectionId;
}

/**
 * The section a link passes to Open Results Section. Links come from documents, and a command can
 * be run with anything: a section that is not one is refused, not opened as an empty document.
 */
export function sectionArgument(value: unknown): SectionId {
  if (typeof value === 'string' && resultsModule().parseSectionId(value)) return value as SectionId;
  throw new Error(vscode.l10n.t('{0} is not a section of a results document: sections are succeeded, errored, errored:<error type>, expired and canceled.', JSON.stringify(value) ?? String(value)));
}

/** Save Results…: one batch (all or one outcome, optionally joined), or a split file's batches merged. */
export async function saveResults(services: Services, target: CommandTarget): Promise<boolean> {
  if (target.kind === 'group') return saveGroupResults(services, target.groupId);
  return saveBatchResults(services, await endedBatch(services, target, vscode.l10n.t('save its results')));
}

/**
 * Saves results to a workspace file as JSONL: all, or one outcome group; optionally joined with
 * the input requests by custom_id, in input order. Returns false when the user backed out.
 */
export async function saveBatchResults(services: Services, batch: MessageBatch): Promise<boolean> {
  const label = labelOf(services, batch);
  const local = await services.results.ensureLocal(batch, label);
  if (!local) return false;
  const c = batch.request_counts;
  const choices: SaveChoice[] = [
    { label: vscode.l10n.t('All results'), description: vscode.l10n.t('{0} results', formatCount(local.lines)) },
    ...resultsModule().OUTCOMES.filter((o) => c[o] > 0).map((o) => ({ label: OUTCOME_ONLY[o](), description: vscode.l10n.t('{0} results', formatCount(c[o])), section: o })),
  ];
  const what = await ui().pick(choices, { placeHolder: vscode.l10n.t('Which results of "{0}" to save?', label) });
  if (!what) return false;
  const record = services.registry.get(batch.id);
  let join = false;
  if (record?.sourcePath) {
    const how = await ui().pick(
      [
        { label: vscode.l10n.t('Results only'), description: vscode.l10n.t('one result per line, as the API returns them') },
        { label: vscode.l10n.t('Joined with the requests'), description: vscode.l10n.t('{custom_id, request, result} per line, in the order of {0}', path.basename(record.sourcePath)) },
      ],
      { placeHolder: vscode.l10n.t('Save the results alone, or joined with the requests they answer?') },
    );
    if (!how) return false;
    join = how.label === vscode.l10n.t('Joined with the requests');
  }
  const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(path.dirname(local.path));
  const suffix = what.section ? `.${what.section}` : '';
  const target = await ui().saveDialog({
    title: vscode.l10n.t('Save the results of "{0}"', label),
    defaultUri: vscode.Uri.joinPath(base, `${path.parse(label).name}${suffix}.results.jsonl`),
    filters: { 'JSON Lines': ['jsonl'] },
    saveLabel: vscode.l10n.t('Save Results'),
  });
  if (!target) return false;
  const saved = await resultsModule().exportResults({
    resultsPath: local.path,
    output: target.fsPath,
    section: what.section,
    source: join ? record?.sourcePath : undefined,
  }).catch((err: unknown) => {
    if (err instanceof resultsModule().SourceFileMissingError) throw new Error(vscode.l10n.t('{0} Save the results alone instead.', err.message));
    throw err;
  });
  const note = !local.complete ? vscode.l10n.t(' Only {0} of {1} results had arrived.', formatCount(local.lines), formatCount(local.total)) : '';
  void ui().info(vscode.l10n.t('Saved {0} results of "{1}" to {2}.{3}', formatCount(saved.lines), label, vscode.workspace.asRelativePath(target), note));
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
    void ui().error(vscode.l10n.t('This group of batches is not known on this machine any more.'));
    return false;
  }
  const listed = records.map((r) => services.store.get(r.batchId));
  const running = listed.filter((b): b is MessageBatch => !!b && !isEnded(b));
  if (running.length > 0) {
    void ui().info(vscode.l10n.t('"{0}" has {1} batches; {2} of them have not ended yet. Its results can be saved merged once all have ended.', info.label, info.parts, running.length));
    return false;
  }
  const { mergeNote, mergeResults } = resultsModule();
  // Parts 1…N: listed batches are downloaded as needed; the others can only come from a local copy.
  const parts: (MergePart & { batch?: MessageBatch })[] = [];
  for (let part = 1; part <= info.parts; part++) {
    const index = records.findIndex((r) => r.group!.part === part);
    const record = records[index];
    const batch = listed[index];
    const label = record ? `${recordLabel(record)} (${part}/${info.parts})` : `${info.label} (${part}/${info.parts})`;
    const local = record && !batch ? await services.results.archive.status(record.batchId) : undefined;
    parts.push({ batch, label, path: local?.path, lines: local?.lines ?? 0, total: local?.total ?? record?.requestCount, complete: local?.complete ?? false });
  }
  const lacking = parts.filter((p) => !p.batch && !p.path);
  if (lacking.length === info.parts) {
    void ui().error(vscode.l10n.t('None of the batches of "{0}" are listed, and none has a local copy: there is nothing to save.', info.label));
    return false;
  }
  if (lacking.length > 0) {
    const choice = await ui().confirm(
      vscode.l10n.t('Save the results of "{0}" without {1}?', info.label, lacking.map((p) => p.label).join(', ')),
      vscode.l10n.t('{0} not listed (deleted, or further down the list: "Load more…" lists more) and have no local copy on this machine. The file will lack their results.', lacking.length === 1 ? vscode.l10n.t('This batch is') : vscode.l10n.t('These batches are')),
      vscode.l10n.t('Save Without Them'),
    );
    if (choice !== vscode.l10n.t('Save Without Them')) throw new UserCancelled();
  }
  const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
  const target = await ui().saveDialog({
    title: vscode.l10n.t('Save the results of "{0}" ({1} batches, merged)', info.label, info.parts),
    defaultUri: vscode.Uri.joinPath(base, `${path.parse(info.label).name}.results.jsonl`),
    filters: { 'JSON Lines': ['jsonl'] },
    saveLabel: vscode.l10n.t('Save Results'),
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
  const saved = vscode.l10n.t('Saved the merged results of "{0}" ({1} batches, {2} results) to {3}.', info.label, info.parts, formatCount(merged.lines), where);
  if (note) {
    services.log.warn(`${saved} ${note}`);
    void ui().warn(`${saved} ${note}`);
  } else {
    void ui().info(saved);
  }
  return true;
}

/**
 * Builds a new JSONL from the source file with only the requests that failed with a retryable
 * error or expired, opens it for review, and offers to submit it (the new batch remembers its
 * parent). Requests that need fixing are listed, not resubmitted.
 */
export async function retryFailed(services: Services, target: CommandTarget): Promise<vscode.Uri | undefined> {
  const batch = await endedBatch(services, target, vscode.l10n.t('retry its failed requests'));
  const label = labelOf(services, batch);
  const record = services.registry.get(batch.id);
  if (!record?.sourcePath) {
    void ui().error(vscode.l10n.t('"{0}" was not submitted from this machine, so its source file is unknown: failed requests cannot be rebuilt from it.', label));
    return undefined;
  }
  const local = await services.results.ensureLocal(batch, label);
  if (!local) throw new UserCancelled();
  const parsed = path.parse(record.sourcePath);
  // not translated: a file name
  let output = path.join(parsed.dir, `${parsed.name}.retry${parsed.ext}`);
  for (let n = 2; await exists(output); n++) output = path.join(parsed.dir, `${parsed.name}.retry-${n}${parsed.ext}`);
  let build;
  try {
    build = await resultsModule().buildRetryBatch({ source: record.sourcePath, resultsPath: local.path, expectedSha256: record.contentHash, output });
  } catch (err) {
    if (err instanceof resultsModule().SourceFileMissingError) {
      void ui().error(vscode.l10n.t('The source file of "{0}" is gone ({1}): failed requests cannot be rebuilt from it.', label, record.sourcePath));
      return undefined;
    }
    throw err;
  }
  for (const fix of build.needsFixing) {
    services.log.warn(`${path.basename(record.sourcePath)}:${fix.line}: ${fix.customId} failed with ${fix.errorType}: ${fix.message}${fix.requestId ? ` (request id ${fix.requestId})` : ''}`);
  }
  const fixNote = build.needsFixing.length
    ? vscode.l10n.t(' {0} failed with invalid_request_error and need fixing first (listed in the log), so they are not included.', build.needsFixing.length)
    : '';
  if (build.customIds.length === 0) {
    const choice = await ui().info(vscode.l10n.t('Nothing in "{0}" is worth retrying as it is.{1}', label, fixNote), ...(build.needsFixing.length ? [vscode.l10n.t('Show Log')] : []));
    if (choice === vscode.l10n.t('Show Log')) services.log.show();
    return undefined;
  }
  const uri = vscode.Uri.file(output);
  await vscode.window.showTextDocument(uri, { preview: false });
  const reasons = Object.entries(build.reasons).map(([why, n]) => `${formatCount(n)} ${why}`).join(', ');
  const changed = build.sourceChanged ? vscode.l10n.t('\n\n{0} changed since it was submitted: the retry uses its lines as they are now.', path.basename(record.sourcePath)) : '';
  const missing = build.missingFromSource.length ? vscode.l10n.t('\n\n{0} failed custom_id(s) are no longer in the source and are left out.', build.missingFromSource.length) : '';
  const choice = await ui().confirm(
    vscode.l10n.t('Submit the {0} failed requests of "{1}" as a new batch?', formatCount(build.customIds.length), label),
    vscode.l10n.t('{0} holds them ({1}); review it first if you like.{2}{3}{4}', path.basename(output), reasons, fixNote, changed, missing),
    vscode.l10n.t('Submit Retry'),
  );
  if (choice === vscode.l10n.t('Submit Retry')) await executeCommand(CommandIds.submitFile, { uri, parentBatchId: batch.id });
  return uri;
}

async function exists(file: string): Promise<boolean> {
  return vscode.workspace.fs.stat(vscode.Uri.file(file)).then(
    () => true,
    () => false,
  );
}
