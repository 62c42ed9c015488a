// What a result line says happened, in the terms the results document and the retry builder use:
// four outcomes, errored ones grouped by the API's error category, each category either worth
// resubmitting unchanged or needing the request fixed first.
import type { MessageBatchIndividualResponse, MessageBatchResult } from '../../api';

export type Outcome = 'succeeded' | 'errored' | 'expired' | 'canceled';

/** Document order: what worked, what failed and why, what never ran. */
export const OUTCOMES: readonly Outcome[] = ['succeeded', 'errored', 'expired', 'canceled'];

/** A section of the results: an outcome, or one error category inside "errored". */
export type SectionId = Outcome | `errored:${string}`;

/**
 * Error categories where sending the same request again cannot help: the request itself (or what
 * it names, e.g. a model this key cannot use) has to change. Every other category is a server-side
 * or transient condition (api_error, overloaded_error, rate_limit_error, timeout_error, and
 * categories this list does not know yet) and is worth resubmitting unchanged.
 */
const FIX_REQUEST_ERROR_TYPES: ReadonlySet<string> = new Set(['invalid_request_error', 'not_found_error', 'permission_error', 'request_too_large']);

/** Whether a request that errored with this category can succeed when resubmitted unchanged. */
export function isRetryableErrorType(type: string): boolean {
  return !FIX_REQUEST_ERROR_TYPES.has(type);
}

/** The outcome of a result, or undefined for a type this code does not know. */
export function outcomeOf(result: MessageBatchResult): Outcome | undefined {
  const type = result.type;
  return type === 'succeeded' || type === 'errored' || type === 'expired' || type === 'canceled' ? type : undefined;
}

interface ErrorShape {
  type?: unknown;
  message?: unknown;
  request_id?: unknown;
  error?: { type?: unknown; message?: unknown };
}

function errorOf(result: MessageBatchResult): ErrorShape | undefined {
  if (result.type !== 'errored') return undefined;
  const error = (result as { error?: unknown }).error;
  return typeof error === 'object' && error !== null ? (error as ErrorShape) : undefined;
}

/**
 * The error category of an errored result. The API sends the whole envelope, so the category is
 * at `result.error.error.type`; an older flat shape (`result.error.type` being the category) is
 * read too.
 */
export function errorTypeOf(result: MessageBatchResult): string {
  const error = errorOf(result);
  if (!error) return 'unknown_error';
  if (typeof error.error?.type === 'string' && error.error.type) return error.error.type;
  if (typeof error.type === 'string' && error.type && error.type !== 'error') return error.type;
  return 'unknown_error';
}

export function errorMessageOf(result: MessageBatchResult): string {
  const error = errorOf(result);
  if (typeof error?.error?.message === 'string') return error.error.message;
  if (typeof error?.message === 'string') return error.message;
  return '';
}

export function errorRequestIdOf(result: MessageBatchResult): string | undefined {
  const id = errorOf(result)?.request_id;
  return typeof id === 'string' && id ? id : undefined;
}

export function parseSectionId(id: string): { outcome: Outcome; errorType?: string } | undefined {
  const colon = id.indexOf(':');
  const outcome = (colon < 0 ? id : id.slice(0, colon)) as Outcome;
  if (!OUTCOMES.includes(outcome)) return undefined;
  if (colon < 0) return { outcome };
  if (outcome !== 'errored' || colon === id.length - 1) return undefined;
  return { outcome, errorType: id.slice(colon + 1) };
}

/** Whether a result belongs to a section ("errored" holds every "errored:<type>"). */
export function inSection(result: MessageBatchResult, section: SectionId): boolean {
  const parsed = parseSectionId(section);
  if (!parsed || outcomeOf(result) !== parsed.outcome) return false;
  return parsed.errorType === undefined || errorTypeOf(result) === parsed.errorType;
}

/** A parsed line that has the shape of a result: a string custom_id and a result with a type. */
export function isResultLine(value: unknown): value is MessageBatchIndividualResponse {
  if (typeof value !== 'object' || value === null) return false;
  const line = value as { custom_id?: unknown; result?: { type?: unknown } | null };
  return typeof line.custom_id === 'string' && typeof line.result === 'object' && line.result !== null && typeof line.result.type === 'string';
}
