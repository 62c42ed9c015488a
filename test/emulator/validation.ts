import { HttpError } from './errors';
import type { BatchRequestInput } from './types';

// Two kinds of checks, as the real API has them:
// - structural ones on the create body fail the whole create call with 400 (validateCreateBody);
// - problems inside one request's `params` do not: that request comes back `errored` with an
//   invalid_request_error once the batch ends (paramsProblem).
// Messages follow the API's "path: problem" style so a caller can find the offending index.

export const CUSTOM_ID_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
export const DEFAULT_MAX_REQUESTS = 100_000;
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024 * 1024;
/** From this API version on, sampling parameters are rejected per request. */
export const SAMPLING_PARAMS_REJECTED_FROM = '2026-10-21';
export const LATEST_API_VERSION = '2026-10-21';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string): HttpError {
  return new HttpError(400, message, 'invalid_request_error');
}

/** Checks a create body; returns its requests or throws a 400 HttpError naming the offending path. */
export function validateCreateBody(body: unknown, maxRequests: number = DEFAULT_MAX_REQUESTS): BatchRequestInput[] {
  if (!isObject(body)) throw invalid('body: Input should be a valid dictionary');
  for (const key of Object.keys(body)) {
    if (key !== 'requests') throw invalid(`${key}: Extra inputs are not permitted`);
  }
  if (!('requests' in body)) throw invalid('requests: Field required');
  return validateRequests(body.requests, maxRequests);
}

/** The `requests` array on its own (also used by `createBatch`, which has no HTTP body). */
export function validateRequests(requests: unknown, maxRequests: number = DEFAULT_MAX_REQUESTS): BatchRequestInput[] {
  if (!Array.isArray(requests)) throw invalid('requests: Input should be a valid list');
  if (requests.length < 1) {
    throw invalid(`requests: List should have at least 1 item after validation, not ${requests.length}`);
  }
  if (requests.length > maxRequests) {
    throw invalid(`requests: List should have at most ${maxRequests} items after validation, not ${requests.length}`);
  }
  const firstIndexOf = new Map<string, number>();
  for (let i = 0; i < requests.length; i++) {
    const item: unknown = requests[i];
    const at = `requests.${i}`;
    if (!isObject(item)) throw invalid(`${at}: Input should be a valid dictionary`);
    for (const key of Object.keys(item)) {
      if (key !== 'custom_id' && key !== 'params') throw invalid(`${at}.${key}: Extra inputs are not permitted`);
    }
    if (!('custom_id' in item)) throw invalid(`${at}.custom_id: Field required`);
    const customId = item.custom_id;
    if (typeof customId !== 'string') throw invalid(`${at}.custom_id: Input should be a valid string`);
    if (!CUSTOM_ID_PATTERN.test(customId)) {
      throw invalid(`${at}.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`);
    }
    const earlier = firstIndexOf.get(customId);
    if (earlier !== undefined) {
      throw invalid(
        `${at}.custom_id: Duplicate custom_id '${customId}', already used by requests.${earlier}.custom_id; ` +
          'each custom_id must be unique within a batch',
      );
    }
    firstIndexOf.set(customId, i);
    if (!('params' in item)) throw invalid(`${at}.params: Field required`);
    if (!isObject(item.params)) throw invalid(`${at}.params: Input should be a valid dictionary`);
  }
  return requests as BatchRequestInput[];
}

/**
 * The first problem inside one request's params, or null when the Messages API would accept them.
 * The message is what the request's `errored` result carries.
 */
export function paramsProblem(params: unknown, apiVersion: string = LATEST_API_VERSION): string | null {
  if (!isObject(params)) return 'params: Input should be a valid dictionary';
  if (!('model' in params)) return 'model: Field required';
  if (typeof params.model !== 'string' || params.model.length === 0) return 'model: Input should be a valid string';

  if (!('max_tokens' in params)) return 'max_tokens: Field required';
  const maxTokens = params.max_tokens;
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens)) return 'max_tokens: Input should be a valid integer';
  if (maxTokens < 1) return 'max_tokens: Input should be greater than or equal to 1';

  if (!('messages' in params)) return 'messages: Field required';
  const messages = params.messages;
  if (!Array.isArray(messages)) return 'messages: Input should be a valid list';
  if (messages.length === 0) return 'messages: List should have at least 1 item after validation, not 0';
  for (let i = 0; i < messages.length; i++) {
    const message: unknown = messages[i];
    if (!isObject(message)) return `messages.${i}: Input should be a valid dictionary`;
    if (message.role !== 'user' && message.role !== 'assistant') return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    if (!('content' in message)) return `messages.${i}.content: Field required`;
    if (typeof message.content !== 'string' && !Array.isArray(message.content)) {
      return `messages.${i}.content: Input should be a valid string or a list of content blocks`;
    }
  }

  if (params.stream === true) {
    return 'stream: streaming is not supported in the Message Batches API; remove `stream` or set it to false';
  }
  if (apiVersion >= SAMPLING_PARAMS_REJECTED_FROM) {
    for (const key of ['temperature', 'top_p', 'top_k']) {
      if (key in params && params[key] !== undefined) {
        return `${key}: this parameter is not supported with anthropic-version ${apiVersion}; remove it`;
      }
    }
  }
  return null;
}
