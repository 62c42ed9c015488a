import * as l10n from '@vscode/l10n';
import type Anthropic from '@anthropic-ai/sdk';
import { DEFAULT_MAX_ANSWER_BYTES, guardAnswer } from './answerGuard';
import { lazyModule } from './lazyModule';
import { fetchWithinOrigin } from './originFetch';
import { boundRetryHeaders } from './retryAfter';
import { rememberSecret } from './secrets';
import { DEFAULT_UPLOAD_TIMEOUTS, hasStreamBody, streamingFetch, type UploadTimeouts } from './streamingFetch';

/** What the client factory needs; everything comes from the caller, nothing from the environment. */
export interface ClientConfig {
  apiKey: string;
  /** Empty or undefined: the SDK's own default, which honours ANTHROPIC_BASE_URL. */
  baseUrl?: string;
  maxRetries?: number;
  /** The SDK's timeout for ordinary calls (until the answer's headers). Streamed uploads use `upload`. */
  timeoutMs?: number;
  upload?: Partial<UploadTimeouts>;
  /** The most a JSON answer may hold (see DEFAULT_MAX_ANSWER_BYTES); results are limited by their caller. */
  maxAnswerBytes?: number;
}

export type SdkModule = typeof import('./sdk');

/** Loads the SDK bundle the first time it is needed (see esbuild.mjs for why it is separate). */
export const loadSdk: () => SdkModule = lazyModule(
  // A plain require keeps the SDK out of the activation path: esbuild resolves './sdk' to the
  // sibling bundle dist/sdk.js instead of inlining it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  () => require('./sdk') as SdkModule,
);

/** Thrown before anything is sent when a request would carry the API key to another origin. */
export class ForeignOriginError extends Error {
  constructor(
    readonly url: string,
    readonly allowedOrigin: string,
  ) {
    super(l10n.t('Refused to send the API key to {0}: only {1} is trusted.', new URL(url).origin, allowedOrigin));
    this.name = 'ForeignOriginError';
  }
}

/**
 * Builds the SDK client. The only place in the extension that constructs one.
 *
 * The API key is passed explicitly (the SDK would otherwise look for profiles and environment
 * variables), and every request goes through a fetch that refuses any origin but the API's own:
 * `results()` follows `results_url` verbatim, and the key must never follow it to another host.
 * Nor does it follow a redirect there: see fetchWithinOrigin (streamed uploads follow none).
 * The same fetch bounds the retry-after of error answers before the SDK acts on it, and the size
 * of every JSON answer.
 */
export function createClient(config: ClientConfig): Anthropic {
  const { Anthropic: AnthropicClient } = loadSdk();
  // Whatever the HTTP client says about this key (e.g. quoting a header it refused) is redacted.
  rememberSecret(config.apiKey);
  const upload = { ...DEFAULT_UPLOAD_TIMEOUTS, ...config.upload };
  const maxAnswerBytes = config.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
  const client = new AnthropicClient({
    apiKey: config.apiKey,
    authToken: null,
    baseURL: config.baseUrl?.trim() ? config.baseUrl.trim() : undefined,
    maxRetries: config.maxRetries ?? 2,
    timeout: config.timeoutMs,
    fetch: (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const allowed = apiOrigin(client);
      if (new URL(url).origin !== allowed) {
        return Promise.reject(new ForeignOriginError(url, allowed));
      }
      const answer = hasStreamBody(init) ? streamingFetch(url, init!, upload) : fetchWithinOrigin(url, init, allowed);
      // Results come as bytes (the SDK asks for application/binary): their caller limits them.
      const binary = new Headers(init?.headers).get('accept') === 'application/binary';
      return answer.then(boundRetryHeaders).then((response) => guardAnswer(response, binary ? undefined : maxAnswerBytes));
    },
  });
  return client;
}

/** The origin (scheme, host, port) the client talks to. */
export function apiOrigin(client: Pick<Anthropic, 'baseURL'>): string {
  return new URL(client.baseURL).origin;
}
