import * as l10n from '@vscode/l10n';
import { describeError, type BatchesApi, type MessageBatch, type UserFacingError } from '../api';
import { partBody, type BatchFileScan, type BatchSource, type PartPlan } from './batchUpload';
import { totalRequests } from '../common/requestCounts';
import { partWords, storedPartLabel, type SubmissionRecord, type SubmissionRegistry } from './submissionRegistry';

/**
 * The result of trying to create a batch. Only `failed` means for certain that nothing was
 * created (the API refused, or the upload stopped before the body was complete: kind `notSent`);
 * `unknown` means the whole body may have arrived, and the API may have created (and will bill) a
 * batch we could not find.
 */
export type SubmitOutcome =
  | { kind: 'created'; batch: MessageBatch }
  | { kind: 'adopted'; batch: MessageBatch; error: UserFacingError }
  | { kind: 'unknown'; error: UserFacingError; checkError?: UserFacingError }
  | { kind: 'failed'; error: UserFacingError };

export interface SubmitParams {
  api: BatchesApi;
  /** How many requests the batch holds: how a batch created by a lost response is recognised. */
  requestCount: number;
  /** Sends the create call once (a fresh body each time it is called). */
  send: (api: BatchesApi, signal?: AbortSignal) => Promise<MessageBatch>;
  /** Batches already known to belong to other submissions: never adopted. */
  isKnownBatch: (batchId: string) => boolean;
  now?: () => number;
  signal?: AbortSignal;
  action?: string;
}

/**
 * Margin when the API's clock is known (its `Date` header): the header's one-second resolution,
 * and the API's machines not agreeing to the millisecond.
 */
const SERVER_CLOCK_MARGIN_MS = 30_000;
/** Margin when it is not (no `Date` header): how far our clock may be off from the API's. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Creates a batch at most once. The create call is sent without retries (see BatchesApi.create).
 * When it fails in a way that leaves open whether the API created the batch (the connection
 * dropped, a timeout, a 5xx after the body was sent), it looks for a batch created since the
 * submission began with the same number of requests, and adopts it. It never sends again itself.
 */
export async function submitOnce(params: SubmitParams): Promise<SubmitOutcome> {
  const now = params.now ?? Date.now;
  const startedAt = now();
  try {
    const batch = await params.send(params.api, params.signal);
    return { kind: 'created', batch };
  } catch (err) {
    const error = describeError(err, { action: params.action, baseUrl: params.api.baseUrl });
    if (!isAmbiguous(error)) return { kind: 'failed', error };
    return findCreated({ ...params, now }, error, startedAt);
  }
}

/**
 * Looks again for the batch an ambiguous submission may have created, e.g. when the user asks
 * "check again" before deciding to resend. `startedAt` is when the submission began, by `now`.
 *
 * `created_at` is the API's clock, so "created since the submission began" is judged by the API's
 * clock too: its time when it answered the list, minus how long ago (by ours) the submission
 * began. Our clock being minutes off then changes nothing; only its rate matters.
 */
export async function findCreated(
  params: Pick<SubmitParams, 'api' | 'requestCount' | 'isKnownBatch' | 'action' | 'now'>,
  error: UserFacingError,
  startedAt: number,
): Promise<SubmitOutcome> {
  const now = params.now ?? Date.now;
  try {
    const page = await params.api.listPage({ limit: 100 });
    const elapsed = Math.max(0, now() - startedAt);
    const since = page.serverTime !== undefined ? page.serverTime - elapsed - SERVER_CLOCK_MARGIN_MS : startedAt - CLOCK_SKEW_MS;
    const candidates = page.batches.filter(
      (b) =>
        Date.parse(b.created_at) >= since &&
        totalRequests(b) === params.requestCount &&
        !params.isKnownBatch(b.id),
    );
    // Newest first from the API; the newest unknown match is the one this submission created.
    if (candidates.length > 0) return { kind: 'adopted', batch: candidates[0], error };
    return { kind: 'unknown', error };
  } catch (checkErr) {
    return { kind: 'unknown', error, checkError: describeError(checkErr, { action: l10n.t('Looking for the batch'), baseUrl: params.api.baseUrl }) };
  }
}

/** Whether the API may have acted on a request that failed this way. */
export function isAmbiguous(error: UserFacingError): boolean {
  switch (error.kind) {
    case 'connection':
      // Refused or unresolvable: the request never reached a server.
      return !['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'].includes(error.networkCode ?? '');
    case 'notSent':
      // The upload stopped before the last byte: the API never had the whole body.
      return false;
    case 'timeout':
    case 'badResponse':
    case 'server':
    case 'overloaded':
    case 'aborted':
      return true;
    default:
      // 4xx: the API refused the request; nothing was created.
      return false;
  }
}

/** A file over one batch's limits is sent as several batches, remembered as one group. */
export interface SubmissionGroup {
  id: string;
  /** How many parts the whole file has (not how many are left to send). */
  parts: number;
  /** The file's name. */
  label: string;
}

/** What to send, and what the registry remembers of each batch sent. */
export interface SubmitPlan {
  /** The file's bytes: each part's body is read from it again (see partBody). */
  source: BatchSource;
  /** The file's name: the label of its batch, or of its group. */
  name: string;
  /** Where the file is (a path, or a URI when it is not on disk). */
  sourcePath: string;
  contentHash: string;
  models: string[];
  /** The parts to send, in order: all of them, or the ones left after a failure. */
  parts: readonly PartPlan[];
  group?: SubmissionGroup;
  /** The batch this submission retries, if any. */
  parentBatchId?: string;
  /** Host name and workspace it is submitted from. */
  machine?: string;
  workspace?: string;
}

/** Plans sending a checked file: every part, grouped when there are several. */
export function planSubmission(
  scan: BatchFileScan,
  file: Pick<SubmitPlan, 'source' | 'name' | 'sourcePath' | 'parentBatchId' | 'machine' | 'workspace'>,
  now: () => number = Date.now,
): SubmitPlan {
  const group = scan.parts.length > 1 ? { id: `${scan.contentHash.slice(0, 12)}-${now().toString(36)}`, parts: scan.parts.length, label: file.name } : undefined;
  return { ...file, contentHash: scan.contentHash, models: Object.keys(scan.validation.models), parts: scan.parts, group };
}

/** How a part is named to the user: the file's name, with the part when there are several. */
function partLabel(plan: Pick<SubmitPlan, 'name' | 'group'>, part: PartPlan): string {
  return plan.group ? partWords(plan.name, part.index + 1, plan.group.parts) : plan.name;
}

/** After an ambiguous failure that found nothing: look again, send again (maybe billed twice), or stop. */
export type AmbiguousChoice = 'checkAgain' | 'resend' | 'stop';

export interface AmbiguousQuestion {
  label: string;
  part: PartPlan;
  error: UserFacingError;
  /** Why looking for the batch failed too, when it did. */
  checkError?: UserFacingError;
  /** ISO time the part's submission began: a batch created since then would be its batch. */
  since: string;
}

/** A part whose batch exists: created, or found after an ambiguous failure. */
export interface CreatedPart {
  part: PartPlan;
  label: string;
  batch: MessageBatch;
  /** The failure after which the batch was found and adopted, when it was. */
  adoptedAfter?: UserFacingError;
}

export type SubmitPartsResult =
  | { kind: 'submitted'; created: CreatedPart[] }
  /** Nothing was created for `part` (for certain); the parts after it were not sent. */
  | { kind: 'failed'; created: CreatedPart[]; part: PartPlan; label: string; error: UserFacingError; remaining: PartPlan[] }
  /** Whether `part` was created is not known, and the user chose not to decide; nothing after it was sent. */
  | { kind: 'undecided'; created: CreatedPart[]; part: PartPlan; label: string; error: UserFacingError };

export interface SubmitPartsOptions {
  api: BatchesApi;
  /** Each created batch is recorded here before the next part is sent. */
  registry: Pick<SubmissionRegistry, 'record' | 'has'>;
  /** Batches known otherwise (e.g. listed): never adopted. Recorded ones never are either. */
  isKnownBatch?: (batchId: string) => boolean;
  /** Asked after an ambiguous failure that found nothing, until it says anything but check again. */
  decideAmbiguous(question: AmbiguousQuestion): Promise<AmbiguousChoice>;
  /** Runs a part's first upload: where the UI shows its progress. */
  uploading?<T>(label: string, part: PartPlan, upload: () => Promise<T>): PromiseLike<T>;
  /** Told of each part's batch once recorded, before the next part is sent. */
  onCreated?(created: CreatedPart): void | Promise<void>;
  log?: { info(line: string): void; warn(line: string): void; error(line: string): void };
  now?: () => number;
}

/**
 * Sends a plan's parts one after the other, each exactly once (submitOnce), and records each
 * batch, with its group, as soon as it exists. After an ambiguous failure that found nothing, the
 * caller decides (check again, send again, or stop). A definite failure stops the rest: nothing
 * is ever sent twice, and the result says which parts exist and which remain.
 */
export async function submitParts(plan: SubmitPlan, options: SubmitPartsOptions): Promise<SubmitPartsResult> {
  const now = options.now ?? Date.now;
  const created: CreatedPart[] = [];
  // A part of this submission is never adopted as another part of it, recorded or not.
  const isKnownBatch = (id: string) => created.some((c) => c.batch.id === id) || options.registry.has(id) || !!options.isKnownBatch?.(id);
  for (const [at, part] of plan.parts.entries()) {
    const label = partLabel(plan, part);
    const action = l10n.t('Submitting {0}', label);
    const startedAt = now();
    const params: SubmitParams = {
      api: options.api,
      action,
      requestCount: part.requests,
      isKnownBatch,
      now,
      send: (api, signal) => api.createFromStream(partBody(plan.source, part), { signal }),
    };
    const upload = () => submitOnce(params);
    let outcome = await (options.uploading ? options.uploading(label, part, upload) : upload());
    while (outcome.kind === 'unknown') {
      const choice = await options.decideAmbiguous({ label, part, error: outcome.error, checkError: outcome.checkError, since: new Date(startedAt).toISOString() });
      if (choice === 'checkAgain') {
        outcome = await findCreated(params, outcome.error, startedAt);
      } else if (choice === 'resend') {
        options.log?.warn(`${action}: resending after an ambiguous failure, on the user's explicit choice.`);
        outcome = await submitOnce(params);
      } else {
        options.log?.warn(`${action}: left undecided after an ambiguous failure (${outcome.error.message}).`);
        return { kind: 'undecided', created, part, label, error: outcome.error };
      }
    }
    if (outcome.kind === 'failed') {
      options.log?.error(outcome.error.message);
      if (plan.group) options.log?.warn(`${label} was not submitted.`);
      return { kind: 'failed', created, part, label, error: outcome.error, remaining: plan.parts.slice(at) };
    }
    const { batch } = outcome;
    await options.registry.record(partRecord(plan, part, batch.id, startedAt, outcome.kind === 'adopted'));
    const done: CreatedPart = { part, label, batch, adoptedAfter: outcome.kind === 'adopted' ? outcome.error : undefined };
    created.push(done);
    if (done.adoptedAfter) options.log?.warn(`${action} failed ambiguously (${done.adoptedAfter.message}); found and adopted ${batch.id}.`);
    else options.log?.info(`Submitted ${label} as ${batch.id} (${part.requests} requests).`);
    await options.onCreated?.(done);
  }
  return { kind: 'submitted', created };
}

function partRecord(plan: SubmitPlan, part: PartPlan, batchId: string, startedAt: number, adopted: boolean): SubmissionRecord {
  return {
    batchId,
    sourcePath: plan.sourcePath,
    // The same in every language (see storedPartLabel); recordLabel words it when shown.
    label: plan.group ? storedPartLabel(plan.name, part.index + 1, plan.group.parts) : plan.name,
    contentHash: plan.contentHash,
    requestCount: part.requests,
    byteSize: part.bodyBytes,
    submittedAt: new Date(startedAt).toISOString(),
    models: plan.models,
    machine: plan.machine,
    workspace: plan.workspace,
    adopted: adopted || undefined,
    group: plan.group && { ...plan.group, part: part.index + 1 },
    parentBatchId: plan.parentBatchId,
  };
}
