import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BatchRequest, MessageBatch } from '../../api';
import { formatCount, formatDate } from '../../domain/batchPresentation';
import { estimateCost, formatUsd } from '../../domain/cost';
import { Settings } from '../settings';
import { RuleCode, validateBatchStream, type BatchValidation, type Diagnostic } from '../../domain/jsonl';
import { findCreated, submitOnce, type SubmitOutcome } from '../../domain/submission';
import { requireApi } from '../batchArgument';
import { UserCancelled } from '../commandRunner';
import type { Services } from '../services';
import { ui } from '../ui';

/** The text to submit: the editor's unsaved text when the file is open and dirty, else the file. */
interface SourceText {
  uri: vscode.Uri;
  name: string;
  text: string;
  bytes: number;
  unsaved: boolean;
}

const MAX_LISTED_ERRORS = 5;

/**
 * "Submit as Batch": validate, confirm (count, size, models), create exactly once, remember the
 * source, show the new batch at the top of the view.
 */
export async function submitFile(services: Services, arg: unknown): Promise<MessageBatch | undefined> {
  const uri = await resolveFile(arg);
  const source = await readSource(uri);
  const { validation, requests } = await validate(source);
  const onlyEmpty = validation.diagnostics.every((d) => d.severity !== 'error' || d.code === RuleCode.noRequests);
  if (validation.requestCount === 0 && onlyEmpty) {
    void ui().error(`${source.name} has no requests: a batch needs at least one line like {"custom_id": "…", "params": {…}}.`);
    return undefined;
  }
  if (validation.errorCount > 0) {
    await refuseInvalid(source, validation);
    return undefined;
  }

  const contentHash = createHash('sha256').update(source.text).digest('hex');
  const earlier = services.registry.findByHash(contentHash);
  if (earlier.length > 0) {
    const first = earlier[0];
    const choice = await ui().confirm(
      `${source.name} was already submitted with exactly this content.`,
      `As batch ${first.batchId} on ${formatDate(first.submittedAt)}${earlier.length > 1 ? `, and ${earlier.length - 1} more time(s)` : ''}. Submitting it again creates a second batch, billed again.`,
      'Submit Again',
      'Show Batch',
    );
    if (choice === 'Show Batch') {
      await services.revealBatch(first.batchId);
      throw new UserCancelled();
    }
    if (choice !== 'Submit Again') throw new UserCancelled();
  }

  const models = Object.entries(validation.models)
    .sort((a, b) => b[1].requests - a[1].requests)
    .map(([model, s]) => `${model} (${formatCount(s.requests)})`)
    .join(', ');
  const confirmed = await ui().confirm(
    `Submit ${formatCount(validation.requestCount)} ${validation.requestCount === 1 ? 'request' : 'requests'} from ${source.name} as a batch?`,
    [
      `Size: ${formatBytes(validation.byteSize)}${source.unsaved ? ' (including unsaved changes in the editor)' : ''}.`,
      `Models: ${models}.`,
      costLine(validation),
      'Batches are billed at 50% of standard prices. Most end within an hour; unfinished requests expire after 24 hours.',
      validation.warningCount ? `${validation.warningCount} warning(s) in the file; see the Problems panel.` : '',
    ]
      .filter(Boolean)
      .join('\n'),
    'Submit',
  );
  if (confirmed !== 'Submit') throw new UserCancelled();

  const api = await requireApi(services);
  const startedAt = Date.now();
  const action = `Submitting ${source.name}`;
  let outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Submitting ${source.name}`, cancellable: false },
    async (progress) => {
      progress.report({ message: `uploading ${formatCount(requests.length)} requests (${formatBytes(validation.byteSize)})…` });
      return submitOnce({ api, requests, action, isKnownBatch: (id) => services.registry.has(id) || !!services.store.get(id) });
    },
  );

  // An ambiguous failure that found nothing: the user decides, with what is known.
  while (outcome.kind === 'unknown') {
    const since = new Date(startedAt).toISOString();
    const choice = await ui().confirm(
      `It is not known whether ${source.name} was submitted.`,
      [
        outcome.error.message,
        outcome.checkError
          ? `Looking for the batch failed too: ${outcome.checkError.message}`
          : `No batch with ${formatCount(requests.length)} requests created since ${formatDate(since)} was found (yet).`,
        'Submitting again creates a second, billed batch if the first one did arrive. Check again first if unsure.',
      ].join('\n\n'),
      'Check Again',
      'Submit Again',
    );
    if (choice === 'Check Again') {
      outcome = await findCreated({ api, requests, action, isKnownBatch: (id) => services.registry.has(id) }, outcome.error, startedAt);
    } else if (choice === 'Submit Again') {
      services.log.warn(`${action}: resending after an ambiguous failure, on the user's explicit choice.`);
      outcome = await submitOnce({ api, requests, action, isKnownBatch: (id) => services.registry.has(id) });
    } else {
      services.log.warn(`${action}: left undecided after an ambiguous failure (${outcome.error.message}).`);
      throw new UserCancelled();
    }
  }

  return finish(services, source, validation, contentHash, startedAt, outcome);
}

async function finish(
  services: Services,
  source: SourceText,
  validation: BatchValidation,
  contentHash: string,
  startedAt: number,
  outcome: Exclude<SubmitOutcome, { kind: 'unknown' }>,
): Promise<MessageBatch | undefined> {
  if (outcome.kind === 'failed') {
    services.log.error(outcome.error.message);
    void ui().error(outcome.error.message);
    return undefined;
  }
  const batch = outcome.batch;
  await services.registry.record({
    batchId: batch.id,
    sourcePath: source.uri.scheme === 'file' ? source.uri.fsPath : source.uri.toString(),
    label: source.name,
    contentHash,
    requestCount: validation.requestCount,
    byteSize: validation.byteSize,
    submittedAt: new Date(startedAt).toISOString(),
    models: Object.keys(validation.models),
    machine: os.hostname(),
    workspace: vscode.workspace.name,
    adopted: outcome.kind === 'adopted' || undefined,
  });
  services.store.upsert(batch);
  await services.revealBatch(batch.id);
  if (outcome.kind === 'adopted') {
    services.log.warn(`Submitting ${source.name} failed ambiguously (${outcome.error.message}); found and adopted ${batch.id}.`);
    void ui().warn(`The connection failed while submitting ${source.name}, but the batch it created was found (${batch.id}). Nothing was sent twice.`);
  } else {
    services.log.info(`Submitted ${source.name} as ${batch.id} (${validation.requestCount} requests).`);
    void ui().info(`Submitted ${source.name} as batch ${batch.id} (${formatCount(validation.requestCount)} requests).`);
  }
  return batch;
}

async function resolveFile(arg: unknown): Promise<vscode.Uri> {
  if (arg instanceof vscode.Uri) return arg;
  const active = vscode.window.activeTextEditor?.document;
  if (active && isJsonl(active.uri)) return active.uri;
  const files = await vscode.workspace.findFiles('**/*.jsonl', '**/node_modules/**', 200);
  if (files.length === 0) {
    void ui().info('There is no .jsonl file to submit. Open one, or right-click one in the Explorer and choose "Submit as Batch".');
    throw new UserCancelled();
  }
  const picked = await ui().pick(
    files.map((uri) => ({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri), uri })),
    { placeHolder: 'Select a .jsonl file to submit as a batch' },
  );
  if (!picked) throw new UserCancelled();
  return picked.uri;
}

function isJsonl(uri: vscode.Uri): boolean {
  return uri.path.toLowerCase().endsWith('.jsonl');
}

async function readSource(uri: vscode.Uri): Promise<SourceText> {
  const name = path.basename(uri.path);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty) {
    const text = open.getText();
    return { uri, name, text, bytes: Buffer.byteLength(text), unsaved: true };
  }
  const bytes = await vscode.workspace.fs.readFile(uri);
  return { uri, name, text: Buffer.from(bytes).toString('utf8'), bytes: bytes.byteLength, unsaved: false };
}

async function validate(source: SourceText): Promise<{ validation: BatchValidation; requests: BatchRequest[] }> {
  const requests: BatchRequest[] = [];
  const validation = await validateBatchStream(single(source.text), {
    onRequestLine: (line) => requests.push(JSON.parse(line.json) as BatchRequest),
  });
  return { validation, requests };
}

async function* single(text: string): AsyncIterable<string> {
  yield text;
}

async function refuseInvalid(source: SourceText, validation: BatchValidation): Promise<void> {
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

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
