import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MessageBatch } from '../../api';
import { fileSource, scanBatchFile, type BatchFileScan, type BatchSource } from '../../domain/batchUpload';
import { estimateCost } from '../../domain/cost';
import { formatBytes, formatCount, formatDate, formatUsd } from '../../common/format';
import { requestsText } from '../../common/requestCounts';
import { classifyBatchText, CLASSIFY_BYTES, DEFAULT_MAX_BYTES, firstLines, RuleCode, type BatchFileClassification, type BatchValidation, type Diagnostic } from '../../domain/jsonl';
import { NotRegularFileError, openRegularFile } from '../../domain/regularFile';
import { planSubmission, submitParts, type AmbiguousChoice, type AmbiguousQuestion, type SubmitPartsOptions } from '../../domain/submission';
import { storageOf } from '../../domain/accountData';
import { SubmissionRegistry } from '../../domain/submissionRegistry';
import { UnfinishedBatches } from '../../domain/unfinishedBatches';
import { decideForFile, documentLines } from '../authoring/batchFiles';
import { BATCH_LANGUAGE } from '../authoring/jsonLines';
import { requireApi } from './batchArgument';
import type { CommandTarget } from './commandArguments';
import { UserCancelled } from './commandRunner';
import type { Services } from '../core/services';
import { Settings } from '../core/settings';
import { ui } from '../core/ui';

/** The bytes to submit: the editor's unsaved text when the file is open and dirty, else the file. */
interface SubmitSource extends BatchSource {
  uri: vscode.Uri;
  name: string;
  unsaved: boolean;
}

const MAX_LISTED_ERRORS = 5;
const CHUNK = 1 << 20;

/**
 * "Submit as Batch": validate (streaming), confirm (count, size, models, cost), create each batch
 * exactly once with the body streamed from the file, remember the source, show the new batch.
 * A file over one batch's limits is offered as several batches, remembered as one group.
 */
export async function submitFile(services: Services, target: CommandTarget): Promise<MessageBatch | undefined> {
  // A retry passes its file and the batch it retries: the new batch remembers it.
  const parentBatchId = target.kind === 'file' ? target.parentBatchId : undefined;
  const uri = await resolveFile(target);
  const source = await openSource(uri);
  if (await refuseNotBatch(source)) return undefined;
  const scan = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking {0}…', source.name) },
    () => scanBatchFile(source),
  );
  const { validation } = scan;
  const onlyEmpty = validation.diagnostics.every((d) => d.severity !== 'error' || d.code === RuleCode.noRequests);
  if (validation.requestCount === 0 && onlyEmpty) {
    void ui().error(vscode.l10n.t('{0} has no requests: a batch needs at least one line like {"custom_id": "…", "params": {…}}.', source.name));
    return undefined;
  }
  if (validation.errorCount > 0) {
    await refuseInvalid(source, validation);
    return undefined;
  }

  const earlier = services.registry.findByHash(scan.contentHash);
  if (earlier.length > 0) {
    const first = earlier[0];
    const choice = await ui().confirm(
      vscode.l10n.t('{0} was already submitted with exactly this content.', source.name),
      vscode.l10n.t('As batch {0} on {1}{2}. Submitting it again creates another batch, billed again.', first.batchId, formatDate(first.submittedAt), earlier.length > 1 ? vscode.l10n.t(', and {0} more time(s)', earlier.length - 1) : ''),
      vscode.l10n.t('Submit Again'),
      vscode.l10n.t('Show Batch'),
    );
    if (choice === vscode.l10n.t('Show Batch')) {
      await services.revealBatch(first.batchId);
      throw new UserCancelled();
    }
    if (choice !== vscode.l10n.t('Submit Again')) throw new UserCancelled();
  }

  await confirm(source, scan);
  const api = await requireApi(services);
  // Filed under the account it is sent with, whichever is in use when the API answers.
  const account = submittedIn(services);
  const plan = planSubmission(scan, {
    source,
    name: source.name,
    sourcePath: source.uri.scheme === 'file' ? source.uri.fsPath : source.uri.toString(),
    parentBatchId,
    machine: os.hostname(),
    workspace: vscode.workspace.name,
  });
  const { group } = plan;
  const options: SubmitPartsOptions = {
    api,
    registry: account.registry,
    isKnownBatch: (id) => account.current() && !!services.store.get(id),
    log: services.log,
    uploading: (label, part, upload) =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Submitting {0}', label), cancellable: false }, async (progress) => {
        progress.report({ message: vscode.l10n.t('uploading {0} requests ({1})…', formatCount(part.requests), formatBytes(part.bodyBytes)) });
        return upload();
      }),
    decideAmbiguous: askAmbiguous,
    onCreated: async ({ label, part, batch, adoptedAfter }) => {
      // Another account in use by now: its view is not this batch's place.
      if (account.current()) {
        services.store.upsert(batch);
        await services.revealBatch(batch.id);
      }
      if (adoptedAfter) {
        void ui().warn(vscode.l10n.t('The connection failed while submitting {0}, but the batch it created was found ({1}). Nothing was sent twice.', label, batch.id));
      } else if (!group) {
        void ui().info(vscode.l10n.t('Submitted {0} as batch {1} ({2} requests).', label, batch.id, formatCount(part.requests)));
      }
    },
  };
  const created: MessageBatch[] = [];
  for (let parts = plan.parts; ; ) {
    const result = await submitParts({ ...plan, parts }, options);
    created.push(...result.created.map((c) => c.batch));
    if (result.kind === 'submitted') break;
    if (result.kind === 'undecided') throw new UserCancelled();
    if (!group) {
      void ui().error(result.error.message);
      return undefined;
    }
    // A part failed for certain: say what was sent, and offer to go on from this part.
    const choice = await ui().error(
      vscode.l10n.t('Part {0} of {1} of {2} was not submitted. {3} Nothing was sent twice.', result.part.index + 1, group.parts, source.name, created.length ? vscode.l10n.t('Parts 1–{0} were ({1}).', created.length, created.map((b) => b.id).join(', ')) : vscode.l10n.t('No part was.')),
      vscode.l10n.t('Retry Remaining Parts'),
    );
    if (choice !== vscode.l10n.t('Retry Remaining Parts')) return created[0];
    parts = result.remaining;
  }
  if (group) void ui().info(vscode.l10n.t('Submitted {0} as {1} batches ({2} requests).', source.name, group.parts, formatCount(validation.requestCount)));
  return created[0];
}

/** An ambiguous failure that found nothing: the user decides, with what is known. */
async function askAmbiguous({ label, part, error, checkError, since }: AmbiguousQuestion): Promise<AmbiguousChoice> {
  const choice = await ui().confirm(
    vscode.l10n.t('It is not known whether {0} was submitted.', label),
    [
      error.message,
      checkError
        ? vscode.l10n.t('Looking for the batch failed too: {0}', checkError.message)
        : vscode.l10n.t('No batch with {0} requests created since {1} was found (yet).', formatCount(part.requests), formatDate(since)),
      vscode.l10n.t('Submitting again creates a second, billed batch if the first one did arrive. Check again first if unsure.'),
    ].join('\n\n'),
    vscode.l10n.t('Check Again'),
    vscode.l10n.t('Submit Again'),
  );
  return choice === vscode.l10n.t('Check Again') ? 'checkAgain' : choice === vscode.l10n.t('Submit Again') ? 'resend' : 'stop';
}

async function confirm(source: SubmitSource, scan: BatchFileScan): Promise<void> {
  const { validation, parts } = scan;
  const models = Object.entries(validation.models)
    .sort((a, b) => b[1].requests - a[1].requests)
    .map(([model, s]) => `${model} (${formatCount(s.requests)})`)
    .join(', ');
  const count = requestsText(validation.requestCount);
  const title =
    parts.length > 1 ? vscode.l10n.t('Submit {0} from {1} as {2} batches?', count, source.name, parts.length) : vscode.l10n.t('Submit {0} from {1} as a batch?', count, source.name);
  const split =
    parts.length > 1
      ? [
          vscode.l10n.t('It is over the limits of one batch (100,000 requests or 256 MB), so it is sent as several, remembered as one group:'),
          ...parts.map((p) => vscode.l10n.t('  part {0}: lines {1}–{2}, {3} requests, {4}', p.index + 1, formatCount(p.firstLine), formatCount(p.lastLine), formatCount(p.requests), formatBytes(p.bodyBytes))),
        ]
      : [];
  const bodyBytes = parts.reduce((n, p) => n + p.bodyBytes, 0);
  const choice = await ui().confirm(
    title,
    [
      vscode.l10n.t('Size: {0}{1}.', formatBytes(bodyBytes), source.unsaved ? vscode.l10n.t(' (including unsaved changes in the editor)') : ''),
      vscode.l10n.t('Models: {0}.', models),
      costLine(validation),
      ...split,
      vscode.l10n.t('Batches are billed at 50% of standard prices. Most end within an hour; unfinished requests expire after 24 hours.'),
      validation.warningCount ? vscode.l10n.t('{0} warning(s) in the file; see the Problems panel.', validation.warningCount) : '',
    ]
      .filter(Boolean)
      .join('\n'),
    parts.length > 1 ? vscode.l10n.t('Submit {0} Batches', parts.length) : vscode.l10n.t('Submit'),
  );
  if (choice !== (parts.length > 1 ? vscode.l10n.t('Submit {0} Batches', parts.length) : vscode.l10n.t('Submit'))) throw new UserCancelled();
}

async function resolveFile(target: CommandTarget): Promise<vscode.Uri> {
  if (target.kind === 'file') return target.uri;
  const active = vscode.window.activeTextEditor?.document;
  if (active && isJsonl(active.uri)) return active.uri;
  const files = await vscode.workspace.findFiles('**/*.jsonl', '**/node_modules/**', 200);
  if (files.length === 0) {
    void ui().info(vscode.l10n.t('There is no .jsonl file to submit. Open one, or right-click one in the Explorer and choose "Submit as Batch".'));
    throw new UserCancelled();
  }
  // Files open in a tab first: the one just written (New Batch File, the walkthrough) is at hand.
  const open = new Set(
    vscode.window.tabGroups.all.flatMap((group) => group.tabs).flatMap((tab) => (tab.input instanceof vscode.TabInputText ? [tab.input.uri.toString()] : [])),
  );
  const items = files.map((uri) => ({
    label: path.basename(uri.fsPath),
    description: `${vscode.workspace.asRelativePath(uri)}${open.has(uri.toString()) ? ' · open' : ''}`,
    uri,
    isOpen: open.has(uri.toString()),
  }));
  items.sort((a, b) => Number(b.isOpen) - Number(a.isOpen));
  const picked = await ui().pick(items, {
    placeHolder: vscode.l10n.t('Select a .jsonl file to submit as a batch'),
    // Asked from a page that takes the focus back (the walkthrough), the pick must stay open.
    ignoreFocusOut: true,
  });
  if (!picked) throw new UserCancelled();
  return picked.uri;
}

function isJsonl(uri: vscode.Uri): boolean {
  return uri.path.toLowerCase().endsWith('.jsonl');
}

/** Streams from disk for saved files (any size, bounded memory); from the editor's text when dirty. */
async function openSource(uri: vscode.Uri): Promise<SubmitSource> {
  const name = path.basename(uri.path);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty) {
    const bytes = Buffer.from(open.getText(), 'utf8');
    return { uri, name, unsaved: true, open: () => slices(bytes) };
  }
  if (uri.scheme === 'file') {
    // Said before "Checking…" starts; each pass checks again on the file it opens (a pipe or a
    // device such as /dev/zero, or a symlink to one, is never read).
    await (await openRegularFile(uri.fsPath)).close();
    return { uri, name, unsaved: false, ...fileSource(uri.fsPath, { chunkBytes: CHUNK }) };
  }
  const stat = await vscode.workspace.fs.stat(uri);
  if (!(stat.type & vscode.FileType.File)) throw new NotRegularFileError(uri.toString(), stat.type & vscode.FileType.Directory ? vscode.l10n.t('a directory') : vscode.l10n.t('not a plain file'));
  // VS Code's file system reads a file whole: a virtual file is held in memory, so it is bounded
  // by one batch's size (a local file of any size streams, and is split into parts).
  if (stat.size > DEFAULT_MAX_BYTES) {
    throw new Error(vscode.l10n.t('{0} is {1}, over the {2} a file outside this machine\'s disk can be submitted from. Copy it to a local folder: from there it is sent as several batches.', name, formatBytes(stat.size), formatBytes(DEFAULT_MAX_BYTES)));
  }
  const bytes = Buffer.from(await vscode.workspace.fs.readFile(uri));
  if (bytes.length > DEFAULT_MAX_BYTES) throw new Error(vscode.l10n.t('{0} grew past {1} while it was read. Copy it to a local folder, then submit it from there.', name, formatBytes(DEFAULT_MAX_BYTES)));
  return { uri, name, unsaved: false, open: () => slices(bytes) };
}

async function* slices(bytes: Buffer): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += CHUNK) yield bytes.subarray(i, i + CHUNK);
}

/**
 * A file whose first lines are JSON but not requests (training data, logs, saved results) is not
 * sent: the Explorer offers "Submit as Batch" on every .jsonl, since it cannot read them. A file
 * whose batch language was chosen by hand, or that claudeBatches.batchFiles.include names, is.
 */
async function refuseNotBatch(source: SubmitSource): Promise<boolean> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === source.uri.toString());
  const content = open ? classifyBatchText(documentLines(open)) : await classifyHead(source);
  const decision = decideForFile(source.uri, content, open?.languageId === BATCH_LANGUAGE);
  // An empty or unreadable head is left to the checks that follow, which say what is wrong.
  if (decision.isBatch || (content.kind === 'undecided' && decision.by === 'content')) return false;
  void ui().error(
    vscode.l10n.t('{0} is not taken for a batch file: {1}. Nothing was submitted. ', source.name, decision.reason) +
      vscode.l10n.t('A batch file has one request per line, like {"custom_id": "…", "params": {…}}. ') +
      vscode.l10n.t('To submit it anyway, set its language to Claude Batch (JSONL) (click the language in the status bar), or add it to claudeBatches.batchFiles.include.'),
  );
  return true;
}


/** Classifies a file from its first bytes only, however large it is. */
async function classifyHead(source: SubmitSource): Promise<BatchFileClassification> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of source.open()) {
    chunks.push(Buffer.from(chunk));
    bytes += chunk.byteLength;
    if (bytes >= CLASSIFY_BYTES) break;
  }
  return classifyBatchText(firstLines(Buffer.concat(chunks).subarray(0, CLASSIFY_BYTES).toString('utf8')));
}

async function refuseInvalid(source: SubmitSource, validation: BatchValidation): Promise<void> {
  const errors = validation.diagnostics.filter((d) => d.severity === 'error');
  const listed = errors.slice(0, MAX_LISTED_ERRORS).map((d) => `${source.name}:${d.line}:${d.column}: ${d.message}`);
  const more = validation.errorCount - listed.length;
  const choice = await ui().error(
    validation.errorCount === 1
      ? vscode.l10n.t('{0} is not valid batch JSONL, so nothing was submitted (1 error): {1}. Fix it and submit again.', source.name, listed.join('; '))
      : vscode.l10n.t('{0} is not valid batch JSONL, so nothing was submitted ({1} errors): {2}{3}. Fix them and submit again.', source.name, formatCount(validation.errorCount), listed.join('; '), more > 0 ? vscode.l10n.t('; and {0} more', formatCount(more)) : ''),
    vscode.l10n.t('Go to First Error'),
  );
  if (choice === vscode.l10n.t('Go to First Error') && errors[0]) await showPosition(source.uri, errors[0]);
}

async function showPosition(uri: vscode.Uri, d: Diagnostic): Promise<void> {
  const position = new vscode.Position(d.line - 1, Math.max(0, d.column - 1));
  await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position) });
}

/** The estimate shown before paying: never a promise, always marked as an estimate. */
function costLine(validation: BatchValidation): string {
  const cost = estimateCost(validation.models, Settings.prices());
  const unknown = cost.unknownModels.length ? vscode.l10n.t(' No price known for {0} (set claudeBatches.prices).', cost.unknownModels.join(', ')) : '';
  return (
    vscode.l10n.t('Estimated cost at batch prices: at most {0} ', formatUsd(cost.totalMaxUsd)) +
    vscode.l10n.t('(input ≈ {0}, output at most {1} if every request uses all its max_tokens).{2}', formatUsd(cost.inputUsd), formatUsd(cost.maxOutputUsd), unknown)
  );
}

/**
 * The account a submission is sent with, and its registry: the registry in use while that account
 * is, else that account's own (a batch must never be filed under another account).
 */
function submittedIn(services: Services): { current(): boolean; registry: Pick<SubmissionRegistry, 'record' | 'has'> } {
  const places = services.keys.activePlaces();
  const current = () => services.keys.activePlaces().accountId === places.accountId;
  let own: SubmissionRegistry | undefined;
  const registry = () => (current() ? services.registry : (own ??= new SubmissionRegistry(storageOf(services.globalState, places))));
  return {
    current,
    registry: {
      has: (batchId) => registry().has(batchId),
      record: async (record) => {
        const target = registry();
        await target.record(record);
        // The account's memory of unfinished batches (its watch picks it up) follows the main registry's event otherwise.
        if (target !== services.registry) {
          await new UnfinishedBatches(storageOf(services.globalState, places), () => []).add(record.batchId);
          services.accountWatches.sync();
        }
      },
    },
  };
}
