// What the extension accepts from the API's answers: a bounded size, named failures, the
// expected shape. A misconfigured base URL (a captive portal, a proxy's error page) or a broken
// server then gives a clear error instead of a crash later, a hang or unbounded memory.
import * as l10n from '@vscode/l10n';
import { isPlainObject } from '../common/json';

/**
 * The most a JSON answer may hold. The largest real one, a page of 1000 batches, is under 1 MB;
 * results, which are large, are downloaded as bytes and limited by their caller instead.
 */
export const DEFAULT_MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/** An answer's body went past its limit; it was not read further. */
export class AnswerTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(l10n.t('The answer is over {0} bytes.', limitBytes));
    this.name = 'AnswerTooLargeError';
  }
}

/** The connection broke while an answer's body was arriving. */
export class AnswerBrokenError extends Error {
  constructor(
    readonly receivedBytes: number,
    /** The system error code (ECONNRESET, UND_ERR_SOCKET…) when known. */
    readonly code?: string,
  ) {
    super(l10n.t('The connection broke after {0} bytes of the answer{1}.', receivedBytes, code ? ` (${code})` : ''));
    this.name = 'AnswerBrokenError';
  }
}

/** The API answered 2xx with something that is not what the call returns. */
export class UnexpectedAnswerError extends Error {
  constructor(
    /** What was expected, e.g. "a batch". */
    readonly expected: string,
    /** What came instead, e.g. "it sent text/html". */
    readonly detail: string,
  ) {
    super(l10n.t('The answer is not {0} ({1}).', expected, detail));
    this.name = 'UnexpectedAnswerError';
  }
}

/** Statuses whose Response cannot carry a body. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * The response with a body that fails with AnswerTooLargeError past `maxBytes` (no limit when
 * undefined) and with AnswerBrokenError when the connection breaks, whoever reads it (the SDK
 * parsing JSON, a results download). Reads no further than one chunk past the limit.
 */
export function guardAnswer(response: Response, maxBytes: number | undefined): Response {
  if (!response.body || NULL_BODY_STATUSES.has(response.status)) return response;
  const declared = Number(response.headers.get('content-length'));
  const reader = response.body.getReader();
  let received = 0;
  const tooLarge = () => {
    reader.cancel().catch(() => undefined);
    return new AnswerTooLargeError(maxBytes!);
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (maxBytes !== undefined && declared > maxBytes) controller.error(tooLarge());
    },
    async pull(controller) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (err) {
        controller.error(new AnswerBrokenError(received, codeOf(err)));
        return;
      }
      if (chunk.done) return controller.close();
      received += chunk.value.length;
      if (maxBytes !== undefined && received > maxBytes) return controller.error(tooLarge());
      controller.enqueue(chunk.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** fetch and node:http put the socket's code on the error or on its cause. */
function codeOf(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

/** What a 2xx answer that failed its check held instead, for UnexpectedAnswerError. */
export function answerContent(response: Response, expected: string): string {
  const type = response.headers.get('content-type')?.split(';')[0]?.trim();
  if (!type) return l10n.t('it sent no content type');
  if (!/json/i.test(type)) return l10n.t('it sent {0}', type);
  return l10n.t('its fields are not those of {0}', expected);
}

// ---- shapes ----

type Json = Record<string, unknown>;
const isObject: (v: unknown) => v is Json = isPlainObject;

/**
 * The API's batch ids (`msgbatch_…`). A batch id names files in the local copy, keys records in
 * global storage and goes into document URIs, so an answer whose id could be a path, an object
 * property such as `__proto__`, or a line break is refused here, once, for every layer above.
 */
const BATCH_ID_PATTERN = /^msgbatch_[A-Za-z0-9_-]{1,120}$/;

const isTimestamp = (v: unknown): boolean => typeof v === 'string' && v.length <= 64 && !Number.isNaN(Date.parse(v));
const isOptionalTimestamp = (v: unknown): boolean => v === undefined || v === null || isTimestamp(v);
const isCount = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export function isBatchShape(v: unknown): boolean {
  if (!isObject(v) || typeof v.id !== 'string' || !BATCH_ID_PATTERN.test(v.id) || typeof v.processing_status !== 'string') return false;
  if (!isTimestamp(v.created_at) || !['expires_at', 'ended_at', 'cancel_initiated_at', 'archived_at'].every((k) => isOptionalTimestamp(v[k]))) return false;
  const counts = v.request_counts;
  return isObject(counts) && ['processing', 'succeeded', 'errored', 'canceled', 'expired'].every((k) => isCount(counts[k]));
}

export function isBatchPageShape(v: unknown): boolean {
  return isObject(v) && Array.isArray(v.data) && v.data.every(isBatchShape) && typeof v.has_more === 'boolean';
}

export function isDeletedShape(v: unknown): boolean {
  return isObject(v) && typeof v.id === 'string';
}
