import * as l10n from '@vscode/l10n';
import type Anthropic from '@anthropic-ai/sdk';
import { answerContent, guardAnswer, isBatchPageShape, isBatchShape, isDeletedShape, UnexpectedAnswerError } from './answerGuard';
import { apiOrigin, ForeignOriginError } from './client';
import { ResultsNotReadyError } from './errors';
import type { BatchRequest, DeletedMessageBatch, MessageBatch, MessageBatchIndividualResponse } from './types';
import { totalRequests } from '../common/requestCounts';

export interface BatchPage {
  batches: MessageBatch[];
  hasMore: boolean;
  /** Cursor for the next (older) page; null on an empty page. */
  lastId: string | null;
  /** The API's clock when it answered (its `Date` header, to the second), when it sent one. */
  serverTime?: number;
}

/** The longest delay a Node timer takes (a longer one fires at once): "no total timeout". */
const NO_TOTAL_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * The most bytes one result may take in a results download when the caller sets no limit: far
 * above any real result (a reply at the largest max_tokens is around a megabyte), it only keeps an
 * endless answer from filling the disk.
 */
const MAX_BYTES_PER_RESULT = 8 * 1024 * 1024;
/** The API's limit of requests in one batch: a batch claiming more does not raise the bound above. */
const MAX_REQUESTS_PER_BATCH = 100_000;

/** How many bytes of results a batch may send, from its own (server-given, so capped) count. */
export function defaultResultsLimit(batch: MessageBatch): number {
  return Math.min(Math.max(1, totalRequests(batch)), MAX_REQUESTS_PER_BATCH) * MAX_BYTES_PER_RESULT;
}

/** An SDK call not yet awaited (APIPromise), as far as `expect` needs it. */
interface PendingCall {
  withResponse(): Promise<{ data: unknown; response: Response }>;
}

/**
 * The answer of a call, checked to be what the call returns; anything else (not JSON, an HTML
 * page, other fields) is an UnexpectedAnswerError, never a wrong value passed on.
 */
async function expect<T>(call: PendingCall, expected: string, isValid: (v: unknown) => boolean): Promise<{ value: T; response: Response }> {
  let answer: { data: unknown; response: Response };
  try {
    answer = await call.withResponse();
  } catch (err) {
    if (err instanceof SyntaxError) throw new UnexpectedAnswerError(expected, l10n.t('it is not valid JSON'));
    throw err;
  }
  if (!isValid(answer.data)) throw new UnexpectedAnswerError(expected, answerContent(answer.response, expected));
  return { value: answer.data as T, response: answer.response };
}

const expectBatch = async (call: PendingCall) => (await expect<MessageBatch>(call, l10n.t('a batch'), isBatchShape)).value;

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the client's retries for this call (the poller retries on its own schedule). */
  maxRetries?: number;
}

/**
 * The Batches endpoints as the extension uses them. Wraps one SDK client; holds no state.
 *
 * Request options always go in the SDK's third argument (`retrieve(id, {}, {signal})`): passed
 * second they are silently dropped.
 */
export class BatchesApi {
  constructor(private readonly client: Anthropic) {}

  /** The origin every request goes to, for messages ("cannot reach api.anthropic.com"). */
  get baseUrl(): string {
    return this.client.baseURL;
  }

  /** One page of batches, newest first. `afterId` is the previous page's `lastId`. */
  async listPage(options: CallOptions & { limit?: number; afterId?: string } = {}): Promise<BatchPage> {
    // The SDK's list() would turn any answer into a page (an HTML page into an empty one): the
    // raw answer is checked instead.
    const { value: page, response } = await expect<{ data: MessageBatch[]; has_more: boolean; last_id?: string | null }>(
      this.client.get('/v1/messages/batches', {
        query: { limit: options.limit, after_id: options.afterId },
        signal: options.signal,
        maxRetries: options.maxRetries,
      }),
      l10n.t('a list of batches'),
      isBatchPageShape,
    );
    const date = Date.parse(response.headers.get('date') ?? '');
    return { batches: page.data, hasMore: page.has_more, lastId: page.last_id ?? null, serverTime: Number.isNaN(date) ? undefined : date };
  }

  retrieve(batchId: string, options: CallOptions = {}): Promise<MessageBatch> {
    return expectBatch(this.client.messages.batches.retrieve(batchId, {}, { signal: options.signal, maxRetries: options.maxRetries }));
  }

  /**
   * Creates a batch. Sent exactly once: the SDK would otherwise retry a create whose response was
   * lost, and the API has no idempotency key, so a retry can bill a second batch. Callers that
   * see an ambiguous failure must look for the batch before offering to send again.
   */
  create(requests: BatchRequest[], options: CallOptions = {}): Promise<MessageBatch> {
    return expectBatch(this.client.messages.batches.create({ requests }, { signal: options.signal, maxRetries: 0 }));
  }

  /**
   * Creates a batch from a request body streamed as bytes (`{"requests":[…]}`), so a file of any
   * size is sent without being held in memory. Sent exactly once, like `create`.
   *
   * The SDK's total timeout is lifted for this call: it would cover the whole upload, failing any
   * 256 MB batch on a link under about 3.4 Mbit/s. The streaming fetch watches progress instead
   * (no byte accepted for a while, then no answer for a while; see UploadTimeouts).
   */
  createFromStream(body: AsyncIterable<Uint8Array>, options: CallOptions = {}): Promise<MessageBatch> {
    return expectBatch(
      this.client.post('/v1/messages/batches', {
        body,
        headers: { 'content-type': 'application/json' },
        signal: options.signal,
        maxRetries: 0,
        timeout: NO_TOTAL_TIMEOUT_MS,
      }),
    );
  }

  cancel(batchId: string, options: CallOptions = {}): Promise<MessageBatch> {
    return expectBatch(this.client.messages.batches.cancel(batchId, {}, { signal: options.signal }));
  }

  async delete(batchId: string, options: CallOptions = {}): Promise<DeletedMessageBatch> {
    return (await expect<DeletedMessageBatch>(this.client.messages.batches.delete(batchId, {}, { signal: options.signal }), l10n.t('a deleted batch'), isDeletedShape)).value;
  }

  /**
   * Streams the results of an ended batch, one parsed line at a time, in the API's (arbitrary)
   * order. Refuses before downloading when `results_url` points at another origin than the
   * API's, since the SDK would send the key there.
   */
  /**
   * The raw JSONL body of an ended batch's results, as bytes: a blank or malformed line then costs
   * that line, not the rest of the stream (the SDK's decoder stops at the first one). Same origin
   * check as `results`. The body fails with AnswerTooLargeError past `maxBytes` (by default
   * MAX_BYTES_PER_RESULT per request of the batch), so an endless answer ends.
   */
  async resultsBody(batchId: string, options: CallOptions & { maxBytes?: number } = {}): Promise<{ batch: MessageBatch; body: AsyncIterable<Uint8Array> }> {
    const batch = await this.retrieve(batchId, options);
    const url = this.checkedResultsUrl(batch);
    const response: Response = await this.client.get(url.href, {
      headers: { Accept: 'application/binary' },
      __binaryResponse: true,
      signal: options.signal,
    });
    if (!response.body) throw new ResultsNotReadyError(batch);
    const limited = guardAnswer(response, options.maxBytes ?? defaultResultsLimit(batch));
    return { batch, body: limited.body as unknown as AsyncIterable<Uint8Array> };
  }

  private checkedResultsUrl(batch: MessageBatch): URL {
    if (!batch.results_url) throw new ResultsNotReadyError(batch);
    const origin = apiOrigin(this.client);
    const url = new URL(batch.results_url, this.client.baseURL);
    if (url.origin !== origin) throw new ForeignOriginError(url.href, origin);
    return url;
  }

  async results(
    batchId: string,
    options: CallOptions = {},
  ): Promise<{ batch: MessageBatch; results: AsyncIterable<MessageBatchIndividualResponse> }> {
    const batch = await this.retrieve(batchId, options);
    this.checkedResultsUrl(batch);
    const results = await this.client.messages.batches.results(batchId, {}, { signal: options.signal });
    return { batch, results };
  }
}
