import * as l10n from '@vscode/l10n';
import { AnswerBrokenError, AnswerTooLargeError, UnexpectedAnswerError } from './answerGuard';
import { ForeignOriginError, loadSdk } from './client';
import { MAX_REDIRECTS } from './originFetch';
import { serverDelayMs } from './retryAfter';
import { redactKnownSecrets } from './secrets';
import { NoAnswerError, UploadIncompleteError } from './streamingFetch';
import { statusText } from '../common/batchStatus';
import { formatBytes } from '../common/format';

/** What kind of failure a user is looking at; decides the wording and what the UI offers. */
export type ErrorKind =
  | 'auth'
  | 'permission'
  | 'notFound'
  | 'badRequest'
  | 'tooLarge'
  | 'rateLimited'
  | 'overloaded'
  | 'server'
  | 'connection'
  /** An upload stopped before its body was complete: nothing can have been created. */
  | 'notSent'
  | 'timeout'
  | 'aborted'
  | 'foreignOrigin'
  /** The API answered with a redirect that was not followed (another origin, a write, too many). */
  | 'redirect'
  /** The API answered, but not with something usable (not JSON, another shape, too large, bad headers). */
  | 'badResponse'
  | 'notReady'
  | 'bodySource'
  | 'unknown';

export interface UserFacingError {
  kind: ErrorKind;
  /** One or two sentences: what happened and what to do. Ends with the request id when known. */
  message: string;
  /** The API's `request-id`, which Anthropic support asks for. */
  requestId?: string;
  /** HTTP status, when the API answered. */
  status?: number;
  /** Whether trying the same thing again later can succeed. */
  retryable: boolean;
  /** Seconds the API asked us to wait, from `retry-after(-ms)`: at most an hour, see serverDelayMs. */
  retryAfterSeconds?: number;
  /** The system error code of a connection failure (ECONNREFUSED, ENOTFOUND, ECONNRESET…). */
  networkCode?: string;
}

/**
 * The request body could not be produced (e.g. the file changed while it was streamed). The body
 * stopped before it was complete, so the API cannot have acted on it.
 */
export class BodySourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BodySourceError';
  }
}

/** Results were asked for before the batch ended: expected, not a fault. */
export class ResultsNotReadyError extends Error {
  constructor(readonly batch: { id: string; processing_status: string }) {
    super(l10n.t('The batch {0} is still {1}: its results can be opened once it has ended.', batch.id, statusText(batch)));
    this.name = 'ResultsNotReadyError';
  }
}

export interface DescribeContext {
  /** What the user was doing, e.g. "Cancelling the batch msgbatch_01". Prefixes the message. */
  action?: string;
  /** The API base URL, named in connection errors. */
  baseUrl?: string;
}

/**
 * Turns any error thrown by the SDK (or by our own client wrapper) into words for a person:
 * what happened, what to do next, and the request id when there is one. Uses the SDK's error
 * classes and structured fields (`status`, `type`, `apiMessage`, `requestID`), and the text of
 * `err.message` only for errors it does not know.
 *
 * Every error message a person reads is made here, so this is where API keys are redacted: an
 * unknown error's text may quote one (fetch quotes a header value it refuses).
 */
export function describeError(err: unknown, context: DescribeContext = {}): UserFacingError {
  const described = classify(err, context.baseUrl);
  const prefix = context.action ? l10n.t('{0} failed: ', context.action) : '';
  const suffix = described.requestId ? l10n.t(' (request id {0})', described.requestId) : '';
  return { ...described, message: redactKnownSecrets(`${prefix}${described.message}${suffix}`) };
}

function classify(err: unknown, baseUrl: string | undefined): UserFacingError {
  const host = describeHost(baseUrl);
  if (err instanceof ForeignOriginError) {
    return {
      kind: 'foreignOrigin',
      retryable: false,
      message: l10n.t('{0} Check the claudeBatches.baseUrl setting.', err.message),
    };
  }

  const incomplete = findCause(err, UploadIncompleteError);
  if (incomplete) return describeIncompleteUpload(incomplete, host);
  const noAnswer = findCause(err, NoAnswerError);
  if (noAnswer) {
    return {
      kind: 'timeout',
      retryable: true,
      message: l10n.t('The whole batch was sent ({0}) to the Anthropic API at {1}, but no answer came within {2}.', formatBytes(noAnswer.sentBytes), host, formatSeconds(noAnswer.waitedMs / 1000)),
    };
  }

  const misconfigured = l10n.t('Check the claudeBatches.baseUrl setting: it may point at something other than the Anthropic API.');
  const unexpected = findCause(err, UnexpectedAnswerError);
  if (unexpected) {
    return {
      kind: 'badResponse',
      retryable: false,
      message: l10n.t('The Anthropic API at {0} answered with something that is not {1} ({2}). {3}', host, unexpected.expected, unexpected.detail, misconfigured),
    };
  }
  const tooLarge = findCause(err, AnswerTooLargeError);
  if (tooLarge) {
    return {
      kind: 'badResponse',
      retryable: false,
      message: l10n.t('The Anthropic API at {0} sent an answer of over {1}, far more than expected; it was not read further. {2}', host, formatBytes(tooLarge.limitBytes), misconfigured),
    };
  }
  const broken = findCause(err, AnswerBrokenError);
  if (broken) {
    return {
      kind: 'connection',
      retryable: true,
      networkCode: broken.code,
      message: l10n.t('The connection to the Anthropic API at {0} broke while its answer was arriving{1}. Check your connection and try again.', host, broken.code ? ` (${broken.code})` : ''),
    };
  }

  const bodyError = findCause(err, BodySourceError);
  if (bodyError) return { kind: 'bodySource', retryable: false, message: bodyError.message };
  if (err instanceof ResultsNotReadyError) {
    return { kind: 'notReady', retryable: true, message: err.message };
  }

  const sdk = loadSdk();
  if (err instanceof sdk.APIUserAbortError) {
    return { kind: 'aborted', retryable: true, message: l10n.t('The request was cancelled.') };
  }
  if (err instanceof sdk.APIConnectionTimeoutError) {
    return {
      kind: 'timeout',
      retryable: true,
      message: l10n.t('The Anthropic API at {0} did not answer in time. Check your connection and try again.', host),
    };
  }
  if (err instanceof sdk.APIConnectionError) {
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof ForeignOriginError) return classify(cause, baseUrl);
    const networkCode = causeCode(cause);
    if (networkCode && HEADER_OVERFLOW_CODES.has(networkCode)) {
      return {
        kind: 'badResponse',
        retryable: false,
        networkCode,
        message: l10n.t('The Anthropic API at {0} answered with headers over the size limit ({1}), which is not a usable answer. Check the claudeBatches.baseUrl setting: it may point at something other than the Anthropic API.', host, networkCode),
      };
    }
    return {
      kind: 'connection',
      retryable: true,
      networkCode,
      message: l10n.t('Cannot reach the Anthropic API at {0}{1}. Check your network or the claudeBatches.baseUrl setting, then try again.', host, networkCode ? ` (${networkCode})` : ''),
    };
  }
  if (err instanceof sdk.APIError) {
    return classifyApiError(err, host);
  }
  if (err instanceof sdk.AnthropicError) {
    return { kind: 'unknown', retryable: false, message: sentence(err.message) };
  }
  if (err instanceof Error && err.name === 'AbortError') {
    return { kind: 'aborted', retryable: true, message: l10n.t('The request was cancelled.') };
  }
  const text = err instanceof Error ? err.message : String(err);
  return { kind: 'unknown', retryable: false, message: sentence(text) };
}

/** Why an upload stopped before the API had all of it; always says that nothing was created. */
function describeIncompleteUpload(err: UploadIncompleteError, host: string): UserFacingError {
  const nothing = l10n.t('Nothing was created: the API only creates a batch once it has received all of it.');
  const base = { kind: 'notSent' as const, retryable: true, networkCode: err.code };
  if (err.stalledMs !== undefined) {
    return {
      ...base,
      message: l10n.t('The upload to the Anthropic API at {0} stalled: nothing moved for {1} after {2} were sent. {3} Check your connection and submit again.', host, formatSeconds(err.stalledMs / 1000), formatBytes(err.sentBytes), nothing),
    };
  }
  const code = err.code ? ` (${err.code})` : '';
  if (err.sentBytes === 0) {
    return {
      ...base,
      message: l10n.t('Cannot reach the Anthropic API at {0}{1}. Nothing was created. Check your network or the claudeBatches.baseUrl setting, then try again.', host, code),
    };
  }
  return {
    ...base,
    message: l10n.t('The connection to the Anthropic API at {0} broke{1} after {2} were sent. {3} Check your connection and submit again.', host, code, formatBytes(err.sentBytes), nothing),
  };
}

/** fetch (undici) and node:http say so when an answer's headers are over their limit. */
const HEADER_OVERFLOW_CODES = new Set(['UND_ERR_HEADERS_OVERFLOW', 'HPE_HEADER_OVERFLOW']);

type SdkApiError = InstanceType<ReturnType<typeof loadSdk>['APIError']>;

function classifyApiError(err: SdkApiError, host: string): UserFacingError {
  const status = err.status;
  const requestId = err.requestID ?? undefined;
  const detail = err.apiMessage ? l10n.t(' The API said: {0}', sentence(err.apiMessage)) : '';
  const base = { status, requestId };
  const retryAfterSeconds = readRetryAfter(err.headers);

  if (status !== undefined && status >= 300 && status < 400) {
    return { ...base, kind: 'redirect', retryable: false, message: describeRedirect(status, err.headers?.get('location'), host) };
  }
  if (status === 401) {
    return {
      ...base,
      kind: 'auth',
      retryable: false,
      message: l10n.t('The API key was rejected. Set a valid key with "Claude Batches: Set API Key".'),
    };
  }
  if (status === 403) {
    return {
      ...base,
      kind: 'permission',
      retryable: false,
      message: l10n.t('This API key is not allowed to do that.{0}', detail),
    };
  }
  if (status === 404) {
    return {
      ...base,
      kind: 'notFound',
      retryable: false,
      message: l10n.t('The batch no longer exists (it may have been deleted, or belongs to another workspace).{0}', detail),
    };
  }
  if (status === 413) {
    return {
      ...base,
      kind: 'tooLarge',
      retryable: false,
      message: l10n.t('The batch is too large: a batch holds at most 100,000 requests or 256 MB. Split the file into smaller batches.'),
    };
  }
  if (status === 429) {
    const wait = retryAfterSeconds !== undefined ? l10n.t(' The API asked to wait {0}.', formatSeconds(retryAfterSeconds)) : '';
    return {
      ...base,
      kind: 'rateLimited',
      retryable: true,
      retryAfterSeconds,
      message: l10n.t('Rate limited by the Anthropic API: too many requests for now.{0} Try again later.', wait),
    };
  }
  if (status === 529 || err.type === 'overloaded_error') {
    return {
      ...base,
      kind: 'overloaded',
      retryable: true,
      retryAfterSeconds,
      message: l10n.t('The Anthropic API is overloaded right now. Nothing was lost; try again in a few minutes.'),
    };
  }
  if (status !== undefined && status >= 500) {
    return {
      ...base,
      kind: 'server',
      retryable: true,
      retryAfterSeconds,
      message: l10n.t('The Anthropic API had an internal error (HTTP {0}). Try again in a few minutes; if it persists, check status.anthropic.com.', status),
    };
  }
  if (status === 400 || status === 422) {
    return {
      ...base,
      kind: 'badRequest',
      retryable: false,
      message: l10n.t('The API refused the request.{0}', detail || l10n.t(' It gave no reason.')),
    };
  }
  return {
    ...base,
    kind: 'unknown',
    retryable: false,
    message: l10n.t('The Anthropic API answered with HTTP {0}.{1}', status ?? 'error', detail),
  };
}

/** A redirect the fetch did not follow (see fetchWithinOrigin), and why. */
function describeRedirect(status: number, location: string | null | undefined, host: string): string {
  let target: string | undefined;
  try {
    target = location ? new URL(location).host : undefined;
  } catch {
    target = undefined; // relative: the same host
  }
  if (target && target !== host) {
    return l10n.t('The Anthropic API at {0} answered with a redirect to {1} (HTTP {2}), which was not followed: the API key is only ever sent to {3}. Check the claudeBatches.baseUrl setting.', host, target, status, host);
  }
  return l10n.t('The Anthropic API at {0} answered with a redirect (HTTP {1}) that was not followed: only reads follow redirects, within the same host and at most {2} in a row. Check the claudeBatches.baseUrl setting.', host, status, MAX_REDIRECTS);
}

function readRetryAfter(headers: Headers | undefined): number | undefined {
  const ms = serverDelayMs(headers);
  return ms === undefined ? undefined : ms / 1000;
}

function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${Math.ceil(seconds)} s`;
  return l10n.t('{0} min', Math.ceil(seconds / 60));
}

function describeHost(baseUrl: string | undefined): string {
  // The same default the SDK applies when no base URL is configured.
  baseUrl ||= process.env.ANTHROPIC_BASE_URL;
  if (!baseUrl) return 'api.anthropic.com';
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

/** The first error of this class along the `cause` chain (fetch and the SDK each wrap once). */
function findCause<T>(err: unknown, type: new (...args: never[]) => T): T | undefined {
  for (let current = err, depth = 0; current && depth < 5; depth++) {
    if (current instanceof type) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** fetch wraps the socket error: the code sits on the cause or on the cause's cause. */
function causeCode(cause: unknown): string | undefined {
  const outer = cause as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = outer?.code ?? outer?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
