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

async function endedBatch(services: Services, target: CommandTarget, verb: string): Promise<MessageBatch> {
  const batch = await resolveBatch(services, target, {
    applies: isEnded,
    placeHolder: `Select a batch to ${verb}`,
    none: 'No batch has ended yet: results exist once a batch has ended.',
  });
  if (!isEnded(batch)) {
    void ui().info(`"${labelOf(services, batch)}" is still ${statusText(batch)}: its results can be opened once it has ended.`);
    throw new UserCancelled();
  }
  return batch;
}

/** Opens the grouped results document of an ended batch, downloading the results once. */
export async function openResults(services: Services, target: CommandTarget, section?: SectionId): Promise<vscode.Uri | undefined> {
  const batch = await endedBatch(services, target, 'open its results');
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
  throw new Error(`${JSON.stringify(value) ?? String(value)} is not a section of a results document: sections are succeeded, errored, errored:<error type>, expired and canceled.`);
}

/** Save Results…: one batch (all or one outcome, optionally joined), or a split file's batches merged. */
export async function saveResults(services: Services, target: CommandTarget): Promise<boolean> {
  if (target.kind === 'group') return saveGroupResults(services, target.groupId);
  return saveBatchResults(services, await endedBatch(services, target, 'save its results'));
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
    { label: 'All results', description: `${formatCount(local.lines)} results` },
    ...resultsModule().OUTCOMES.filter((o) => c[o] > 0).map((o) => ({ label: `${o[0].toUpperCase()}${o.slice(1)} only`, description: `${formatCount(c[o])} results`, section: o })),
  ];
  const what = await ui().pick(choices, { placeHolder: `Which results of "${label}" to save?` });
  if (!what) return false;
  const record = services.registry.get(batch.id);
  let join = false;
  if (record?.sourcePath) {
    const how = await ui().pick(
      [
        { label: 'Results only', description: 'one result per line, as the API returns them' },
        { label: 'Joined with the requests', description: `{custom_id, request, result} per line, in the order of ${path.basename(record.sourcePath)}` },
      ],
      { placeHolder: 'Save the results alone, or joined with the requests they answer?' },
    );
    if (!how) return false;
    join = how.label === 'Joined with the requests';
  }
  const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(path.dirname(local.path));
  const suffix = what.section ? `.${what.section}` : '';
  const target = await ui().saveDialog({
    title: `Save the results of "${label}"`,
    defaultUri: vscode.Uri.joinPath(base, `${path.parse(label).name}${suffix}.results.jsonl`),
    filters: { 'JSON Lines': ['jsonl'] },
    saveLabel: 'Save Results',
  });
  if (!target) return false;
  const saved = await resultsModule().exportResults({
    resultsPath: local.path,
    output: target.fsPath,
    section: what.section,
    source: join ? record?.sourcePath : undefined,
  }).catch((err: unknown) => {
    if (err instanceof resultsModule().SourceFileMissingError) throw new Error(`${err.message} Save the results alone instead.`);
    throw err;
  });
  const note = !local.complete ? ` Only ${formatCount(local.lines)} of ${formatCount(local.total)} results had arrived.` : '';
  void ui().info(`Saved ${formatCount(saved.lines)} results of "${label}" to ${vscode.workspace.asRelativePath(target)}.${note}`);
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
  const saved = `Saved the merged results of "${info.label}" (${info.parts} batches, ${formatCount(merged.lines)} results) to ${where}.`;
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
  const batch = await endedBatch(services, target, 'retry its failed requests');
  const label = labelOf(services, batch);
  const record = services.registry.get(batch.id);
  if (!record?.sourcePath) {
    void ui().error(`"${label}" was not submitted from this machine, so its source file is unknown: failed requests cannot be rebuilt from it.`);
    return undefined;
  }
  const local = await services.results.ensureLocal(batch, label);
  if (!local) throw new UserCancelled();
  const parsed = path.parse(record.sourcePath);
  let output = path.join(parsed.dir, `${parsed.name}.retry${parsed.ext}`);
  for (let n = 2; await exists(output); n++) output = path.join(parsed.dir, `${parsed.name}.retry-${n}${parsed.ext}`);
  let build;
  try {
    build = await resultsModule().buildRetryBatch({ source: record.sourcePath, resultsPath: local.path, expectedSha256: record.contentHash, output });
  } catch (err) {
    if (err instanceof resultsModule().SourceFileMissingError) {
      void ui().error(`The source file of "${label}" is gone (${record.sourcePath}): failed requests cannot be rebuilt from it.`);
      return undefined;
    }
    throw err;
  }
  for (const fix of build.needsFixing) {
    services.log.warn(`${path.basename(record.sourcePath)}:${fix.line}: ${fix.customId} failed with ${fix.errorType}: ${fix.message}${fix.requestId ? ` (request id ${fix.requestId})` : ''}`);
  }
  const fixNote = build.needsFixing.length
    ? ` ${build.needsFixing.length} failed with invalid_request_error and need fixing first (listed in the log), so they are not included.`
    : '';
  if (build.customIds.length === 0) {
    const choice = await ui().info(`Nothing in "${label}" is worth retrying as it is.${fixNote}`, ...(build.needsFixing.length ? ['Show Log'] : []));
    if (choice === 'Show Log') services.log.show();
    return undefined;
  }
  const uri = vscode.Uri.file(output);
  await vscode.window.showTextDocument(uri, { preview: false });
  const reasons = Object.entries(build.reasons).map(([why, n]) => `${formatCount(n)} ${why}`).join(', ');
  const changed = build.sourceChanged ? `\n\n${path.basename(record.sourcePath)} changed since it was submitted: the retry uses its lines as they are now.` : '';
  const missing = build.missingFromSource.length ? `\n\n${build.missingFromSource.length} failed custom_id(s) are no longer in the source and are left out.` : '';
  const choice = await ui().confirm(
    `Submit the ${formatCount(build.customIds.length)} failed requests of "${label}" as a new batch?`,
    `${path.basename(output)} holds them (${reasons}); review it first if you like.${fixNote}${changed}${missing}`,
    'Submit Retry',
  );
  if (choice === 'Submit Retry') await executeCommand(CommandIds.submitFile, { uri, parentBatchId: batch.id });
  return uri;
}

async function exists(file: string): Promise<boolean> {
  return vscode.workspace.fs.stat(vscode.Uri.file(file)).then(
    () => true,
    () => false,
  );
}
