import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MessageBatch } from '../../api';
import { fileSource, scanBatchFile, type BatchFileScan, type BatchSource } from '../../domain/batchUpload';
import { estimateCost } from '../../domain/cost';
import { formatBytes, formatCount, formatDate, formatUsd } from '../../common/format';
import { classifyBatchText, CLASSIFY_BYTES, DEFAULT_MAX_BYTES, firstLines, RuleCode, type BatchFileClassification, type BatchValidation, type Diagnostic } from '../../domain/jsonl';
import { NotRegularFileError, openRegularFile } from '../../domain/regularFile';
import { planSubmission, submitParts, type AmbiguousChoice, type AmbiguousQuestion, type SubmitPartsOptions } from '../../domain/submission';
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
    { location: vscode.ProgressLocation.Notification, title: `Checking ${source.name}…` },
    () => scanBatchFile(source),
  );
  const { validation } = scan;
  const onlyEmpty = validation.diagnostics.every((d) => d.severity !== 'error' || d.code === RuleCode.noRequests);
  if (validation.requestCount === 0 && onlyEmpty) {
    void ui().error(`${source.name} has no requests: a batch needs at least one line like {"custom_id": "…", "params": {…}}.`);
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
      `${source.name} was already submitted with exactly this content.`,
      `As batch ${first.batchId} on ${formatDate(first.submittedAt)}${earlier.length > 1 ? `, and ${earlier.length - 1} more time(s)` : ''}. Submitting it again creates another batch, billed again.`,
      'Submit Again',
      'Show Batch',
    );
    if (choice === 'Show Batch') {
      await services.revealBatch(first.batchId);
      throw new UserCancelled();
    }
    if (choice !== 'Submit Again') throw new UserCancelled();
  }

  await confirm(source, scan);
  const api = await requireApi(services);
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
    registry: services.registry,
    isKnownBatch: (id) => !!services.store.get(id),
    log: services.log,
    uploading: (label, part, upload) =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Submitting ${label}`, cancellable: false }, async (progress) => {
        progress.report({ message: `uploading ${formatCount(part.requests)} requests (${formatBytes(part.bodyBytes)})…` });
        return upload();
      }),
    decideAmbiguous: askAmbiguous,
    onCreated: async ({ label, part, batch, adoptedAfter }) => {
      services.store.upsert(batch);
      await services.revealBatch(batch.id);
      if (adoptedAfter) {
        void ui().warn(`The connection failed while submitting ${label}, but the batch it created was found (${batch.id}). Nothing was sent twice.`);
      } else if (!group) {
        void ui().info(`Submitted ${label} as batch ${batch.id} (${formatCount(part.requests)} requests).`);
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
      `Part ${result.part.index + 1} of ${group.parts} of ${source.name} was not submitted. ${created.length ? `Parts 1–${created.length} were (${created.map((b) => b.id).join(', ')}).` : 'No part was.'} Nothing was sent twice.`,
      'Retry Remaining Parts',
    );
    if (choice !== 'Retry Remaining Parts') return created[0];
    parts = result.remaining;
  }
  if (group) void ui().info(`Submitted ${source.name} as ${group.parts} batches (${formatCount(validation.requestCount)} requests).`);
  return created[0];
}

/** An ambiguous failure that found nothing: the user decides, with what is known. */
async function askAmbiguous({ label, part, error, checkError, since }: AmbiguousQuestion): Promise<AmbiguousChoice> {
  const choice = await ui().confirm(
    `It is not known whether ${label} was submitted.`,
    [
      error.message,
      checkError
        ? `Looking for the batch failed too: ${checkError.message}`
        : `No batch with ${formatCount(part.requests)} requests created since ${formatDate(since)} was found (yet).`,
      'Submitting again creates a second, billed batch if the first one did arrive. Check again first if unsure.',
    ].join('\n\n'),
    'Check Again',
    'Submit Again',
  );
  return choice === 'Check Again' ? 'checkAgain' : choice === 'Submit Again' ? 'resend' : 'stop';
}

async function confirm(source: SubmitSource, scan: BatchFileScan): Promise<void> {
  const { validation, parts } = scan;
  const models = Object.entries(validation.models)
    .sort((a, b) => b[1].requests - a[1].requests)
    .map(([model, s]) => `${model} (${formatCount(s.requests)})`)
    .join(', ');
  const count = `${formatCount(validation.requestCount)} ${validation.requestCount === 1 ? 'request' : 'requests'}`;
  const title =
    parts.length > 1 ? `Submit ${count} from ${source.name} as ${parts.length} batches?` : `Submit ${count} from ${source.name} as a batch?`;
  const split =
    parts.length > 1
      ? [
          'It is over the limits of one batch (100,000 requests or 256 MB), so it is sent as several, remembered as one group:',
          ...parts.map((p) => `  part ${p.index + 1}: lines ${formatCount(p.firstLine)}–${formatCount(p.lastLine)}, ${formatCount(p.requests)} requests, ${formatBytes(p.bodyBytes)}`),
        ]
      : [];
  const bodyBytes = parts.reduce((n, p) => n + p.bodyBytes, 0);
  const choice = await ui().confirm(
    title,
    [
      `Size: ${formatBytes(bodyBytes)}${source.unsaved ? ' (including unsaved changes in the editor)' : ''}.`,
      `Models: ${models}.`,
      costLine(validation),
      ...split,
      'Batches are billed at 50% of standard prices. Most end within an hour; unfinished requests expire after 24 hours.',
      validation.warningCount ? `${validation.warningCount} warning(s) in the file; see the Problems panel.` : '',
    ]
      .filter(Boolean)
      .join('\n'),
    parts.length > 1 ? `Submit ${parts.length} Batches` : 'Submit',
  );
  if (choice !== (parts.length > 1 ? `Submit ${parts.length} Batches` : 'Submit')) throw new UserCancelled();
}

async function resolveFile(target: CommandTarget): Promise<vscode.Uri> {
  if (target.kind === 'file') return target.uri;
  const active = vscode.window.activeTextEditor?.document;
  if (active && isJsonl(active.uri)) return active.uri;
  const files = await vscode.workspace.findFiles('**/*.jsonl', '**/node_modules/**', 200);
  if (files.length === 0) {
    void ui().info('There is no .jsonl file to submit. Open one, or right-click one in the Explorer and choose "Submit as Batch".');
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
    placeHolder: 'Select a .jsonl file to submit as a batch',
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
  if (!(stat.type & vscode.FileType.File)) throw new NotRegularFileError(uri.toString(), stat.type & vscode.FileType.Directory ? 'a directory' : 'not a plain file');
  // VS Code's file system reads a file whole: a virtual file is held in memory, so it is bounded
  // by one batch's size (a local file of any size streams, and is split into parts).
  if (stat.size > DEFAULT_MAX_BYTES) {
    throw new Error(`${name} is ${formatBytes(stat.size)}, over the ${formatBytes(DEFAULT_MAX_BYTES)} a file outside this machine's disk can be submitted from. Copy it to a local folder: from there it is sent as several batches.`);
  }
  const bytes = Buffer.from(await vscode.workspace.fs.readFile(uri));
  if (bytes.length > DEFAULT_MAX_BYTES) throw new Error(`${name} grew past ${formatBytes(DEFAULT_MAX_BYTES)} while it was read. Copy it to a local folder, then submit it from there.`);
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
    `${source.name} is not taken for a batch file: ${decision.reason}. Nothing was submitted. ` +
      'A batch file has one request per line, like {"custom_id": "…", "params": {…}}. ' +
      `To submit it anyway, set its language to Claude Batch (JSONL) (click the language in the status bar), or add it to claudeBatches.batchFiles.include.`,
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
    `${source.name} is not valid batch JSONL, so nothing was submitted (${validation.errorCount} ${validation.errorCount === 1 ? 'error' : 'errors'}): ${listed.join('; ')}${more > 0 ? `; and ${more} more` : ''}. Fix them and submit again.`,
    'Go to First Error',
  );
  if (choice === 'Go to First Error' && errors[0]) await showPosition(source.uri, errors[0]);
}

async function showPosition(uri: vscode.Uri, d: Diagnostic): Promise<void> {
  const position = new vscode.Position(d.line - 1, Math.max(0, d.column - 1));
  await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position) });
}

/** The estimate shown before paying: never a promise, always marked as an estimate. */
function costLine(validation: BatchValidation): string {
  const cost = estimateCost(validation.models, Settings.prices());
  const unknown = cost.unknownModels.length ? ` No price known for ${cost.unknownModels.join(', ')} (set claudeBatches.prices).` : '';
  return (
    `Estimated cost at batch prices: at most ${formatUsd(cost.totalMaxUsd)} ` +
    `(input ≈ ${formatUsd(cost.inputUsd)}, output at most ${formatUsd(cost.maxOutputUsd)} if every request uses all its max_tokens).${unknown}`
  );
}
