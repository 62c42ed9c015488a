// Error envelopes: `{"type":"error","error":{"type","message"},"request_id"}`, with the error type
// the API gives each status (TYPE_BY_STATUS).

export interface ErrorEnvelope {
  type: 'error';
  error: { type: string; message: string };
  request_id: string | null;
}

const TYPE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  408: 'timeout_error',
  409: 'conflict_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

const DEFAULT_MESSAGE: Record<string, string> = {
  invalid_request_error: 'Invalid request.',
  authentication_error: 'invalid x-api-key',
  billing_error: 'Your credit balance is too low to access the Anthropic API.',
  permission_error: 'Your API key does not have permission to use the specified resource.',
  not_found_error: 'The requested resource could not be found.',
  timeout_error: 'Request timed out.',
  conflict_error: 'Conflict.',
  request_too_large: 'Request exceeds the maximum allowed number of bytes.',
  rate_limit_error: 'Number of request tokens has exceeded your per-minute rate limit.',
  api_error: 'Internal server error',
  overloaded_error: 'Overloaded',
};

/** The error type the API uses for a status: api_error for other 5xx, invalid_request_error for other 4xx. */
export function errorTypeForStatus(status: number): string {
  return TYPE_BY_STATUS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

export function defaultErrorMessage(type: string): string {
  return DEFAULT_MESSAGE[type] ?? 'Error';
}

export function errorEnvelope(type: string, message: string, requestId: string | null): ErrorEnvelope {
  return { type: 'error', error: { type, message }, request_id: requestId };
}

/** Thrown by handlers; the server turns it into an error response. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errorType: string = errorTypeForStatus(status),
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
