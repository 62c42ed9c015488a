// The emulator's public types. Shapes mirror the Message Batches API's (what the emulator does
// with them is in README.md beside this file); they are declared here (not imported from the SDK)
// so that the emulator stays a plain Node program with no dependency but Node's built-ins.

export type Timing = 'instant' | 'manual' | { perRequestMs: number };

export interface EmulatorOptions {
  /** 0 = any free port (default 0); the host is always 127.0.0.1. */
  port?: number;
  /** Default 'sk-ant-emulator'. */
  apiKey?: string;
  /**
   * More keys, each its own account: it lists, reads and changes only the batches created with
   * it (another account's batch is a 404, as on the API). Only `apiKey`'s batches are saved to
   * `statePath`.
   */
  otherApiKeys?: string[];
  /** Default 'instant'. */
  timing?: Timing;
  /** How long 'canceling' lasts before 'ended' (not in manual mode). Default 0. */
  cancelLatencyMs?: number;
  /** If set: load batches from this JSON file at start, save after each change. */
  statePath?: string;
  /** Seed for deterministic ids and result shuffling. */
  seed?: number;
  /** Base clock; default Date.now. The emulator clock is this plus whatever `clock.advance` added. */
  now?: () => number;
  /** Optional human log, one line per request: method path status request-id. Never the key. */
  log?: (line: string) => void;
  /** Body size limit of the edge (413 request_too_large). Default 256 MB; tests lower it. */
  maxBodyBytes?: number;
  /** Most requests in one batch. Default 100,000. */
  maxRequestsPerBatch?: number;
}

export type ProcessingStatus = 'in_progress' | 'canceling' | 'ended';

export interface RequestCountsJson {
  processing: number;
  succeeded: number;
  errored: number;
  canceled: number;
  expired: number;
}

/** Same shape as the SDK's `MessageBatch`. */
export interface MessageBatchJson {
  id: string;
  type: 'message_batch';
  processing_status: ProcessingStatus;
  request_counts: RequestCountsJson;
  created_at: string;
  expires_at: string;
  ended_at: string | null;
  cancel_initiated_at: string | null;
  archived_at: string | null;
  results_url: string | null;
}

export type Route = 'create' | 'retrieve' | 'list' | 'cancel' | 'delete' | 'results';

export interface LoggedRequest {
  /** Emulator clock time (ms since the epoch) at which the request arrived. */
  time: number;
  method: string;
  /** Path without the query string. */
  path: string;
  /** Which API route it matched; 'unknown' for anything else. */
  route: Route | 'unknown';
  /** Status sent; 0 while unanswered or when the socket was dropped before a status line. */
  status: number;
  requestId: string;
  query: Record<string, string>;
  /** Request headers without `authorization` and `x-api-key`; any value holding the key is redacted. */
  headers: Record<string, string>;
  /** Set when a fault cut the answer short. */
  dropped?: 'before-commit' | 'after-commit' | 'cut';
}

export interface Fault {
  route: Route;
  /** How many matching requests it applies to (default 1). */
  times?: number;
  /** Answer with this status and the documented error envelope. */
  status?: number;
  /** Overrides the error type that `status` implies (e.g. 'overloaded_error' for 529). */
  errorType?: string;
  /** Overrides the error message. */
  message?: string;
  /** Seconds, sent as `retry-after` (and as `retry-after-ms`). */
  retryAfter?: number;
  /**
   * Response headers sent as they are with the error, over the ones above (a hostile or broken
   * server: `retry-after: -5`, `retry-after-ms: 1e15`, a `date` far from the emulator's clock).
   */
  headers?: Record<string, string>;
  /** Sent as `x-should-retry: true|false`, which the SDK obeys. */
  shouldRetry?: boolean;
  /** Wait this long (real time) before answering. */
  delayMs?: number;
  /** Destroy the socket without answering; 'after-commit' applies the state change first. */
  drop?: 'before-commit' | 'after-commit';
  /** Results route: send this many lines, then destroy the socket mid-stream. */
  cutAfterLines?: number;
}

/** An outcome forced on a request, as the `[[emulator:…]]` markers do. */
export type ForcedOutcome = 'api_error' | 'overloaded_error' | 'invalid_request_error' | 'expired' | 'canceled';

export interface CreateBatchOptions {
  /** The account to create it in: `apiKey` (default) or one of `otherApiKeys`. */
  apiKey?: string;
  /** Creation time (emulator clock ms); default now. May lie in the past to seed history. */
  createdAt?: number;
  /** Timing for this batch only; default the emulator's. */
  timing?: Timing;
  /** Cancel latency for this batch only; default the emulator's. */
  cancelLatencyMs?: number;
  /** The `anthropic-version` to judge params by; default 2026-10-21 (rejects temperature/top_p/top_k). */
  anthropicVersion?: string;
  /** custom_id → forced outcome, without a marker in the prompt (for realistic sample data). */
  outcomes?: Record<string, ForcedOutcome>;
}

export interface BatchRequestInput {
  custom_id: string;
  params: unknown;
}

export interface Emulator {
  /** 'http://127.0.0.1:PORT' */
  readonly url: string;
  readonly apiKey: string;
  /** Every API request, oldest first. */
  readonly requests: LoggedRequest[];
  clock: { now(): number; advance(ms: number): void };
  faults: { add(f: Fault): void; clear(): void; pending(): Fault[] };
  /** Creates a batch directly, without HTTP (for seeding). Throws on the errors create would answer with 400. */
  createBatch(requests: BatchRequestInput[], opts?: CreateBatchOptions): MessageBatchJson;
  /** Completes the next n (default all) unprocessed requests; ends a canceling batch. */
  step(batchId: string, n?: number): void;
  /** Completes every remaining request now (ends a canceling batch). */
  finish(batchId: string): void;
  /** Starts canceling a batch, as POST …/cancel does; `at` (default now) may lie in the past for seeding. */
  cancel(batchId: string, at?: number): MessageBatchJson;
  batch(batchId: string): MessageBatchJson | undefined;
  /** Ids of one account's batches (default `apiKey`'s), newest first. */
  batchIds(apiKey?: string): string[];
  /** Drops all batches, faults and the request log (the clock stays where it is). */
  reset(): void;
  close(): Promise<void>;
}
