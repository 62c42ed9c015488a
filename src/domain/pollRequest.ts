import * as l10n from '@vscode/l10n';
import { describeError, type BatchesApi, type MessageBatch, type UserFacingError } from '../api';
import type { RequestPlan } from './pollPlan';
import { arm, type PollTimers } from './pollTimer';

// The one request of a tick, made and given up on time.

/** A poll that has not answered by then is given up (the SDK's own timeout is 10 minutes). */
const REQUEST_TIMEOUT_MS = 60_000;

/** What the API answered: the batches it returned, or what went wrong, worded for the user. */
export type PollAnswer = { batches: readonly MessageBatch[] } | { error: UserFacingError };

/** Makes the planned request; gives it up after REQUEST_TIMEOUT_MS, or when `stop` aborts. */
export async function sendPoll(api: BatchesApi, request: RequestPlan, timers: PollTimers, stop: AbortSignal): Promise<PollAnswer> {
  const abort = new AbortController();
  const onStop = () => abort.abort();
  stop.addEventListener('abort', onStop);
  let timedOut = false;
  const { handle: timeout } = arm(
    timers,
    () => {
      timedOut = true;
      abort.abort();
    },
    REQUEST_TIMEOUT_MS,
    REQUEST_TIMEOUT_MS,
  );
  // The poller has its own backoff: the SDK must not retry behind its back (three requests in
  // one tick).
  const call = { signal: abort.signal, maxRetries: 0 };
  try {
    if (request.kind === 'list') return { batches: (await api.listPage({ ...call, limit: request.limit })).batches };
    return { batches: [await api.retrieve(request.batchId, call)] };
  } catch (err) {
    return { error: timedOut ? timeoutError(api.baseUrl) : describeError(err, { action: l10n.t('Checking batch status'), baseUrl: api.baseUrl }) };
  } finally {
    timers.clearTimeout(timeout);
    stop.removeEventListener('abort', onStop);
  }
}

function timeoutError(baseUrl: string): UserFacingError {
  let host = baseUrl;
  try {
    host = new URL(baseUrl).host;
  } catch {
    // Not a URL: name it as it is.
  }
  return {
    kind: 'timeout',
    retryable: true,
    message: l10n.t('Checking batch status failed: the Anthropic API at {0} did not answer within {1} s. Check your connection; polling will try again.', host, REQUEST_TIMEOUT_MS / 1000),
  };
}
