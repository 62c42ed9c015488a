// The API layer: talks to the Anthropic API through the SDK. Imports no `vscode`.
export { createClient, apiOrigin, ForeignOriginError, type ClientConfig } from './client';
export { BatchesApi, type BatchPage, type CallOptions } from './batchesApi';
export { describeError, BodySourceError, ResultsNotReadyError, type UserFacingError, type ErrorKind, type DescribeContext } from './errors';
export { MAX_SERVER_DELAY_MS, clampServerDelay, serverDelayMs } from './retryAfter';
export { redactSecrets, redactKnownSecrets, rememberSecret } from './secrets';
export { checkApiKey, resolveApiKey, type CheckedApiKey, type KeySource, type ResolvedKey } from './apiKey';
export { isBatchShape } from './answerGuard';
export type * from './types';
