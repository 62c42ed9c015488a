import { describeError, type BatchesApi, type MessageBatch, type UserFacingError } from '../api';

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
    return { kind: 'unknown', error, checkError: describeError(checkErr, { action: 'Looking for the batch', baseUrl: params.api.baseUrl }) };
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

export function totalRequests(batch: MessageBatch): number {
  const c = batch.request_counts;
  return c.processing + c.succeeded + c.errored + c.canceled + c.expired;
}
