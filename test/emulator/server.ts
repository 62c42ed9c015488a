import { timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatchStore } from './batchStore';
import { defaultErrorMessage, errorEnvelope, errorTypeForStatus, HttpError } from './errors';
import { FaultQueue } from './faults';
import { hash32, shuffledIndices } from './ids';
import { advanceBatch, endOf, finalKind, isArchived, isEnded, startCancel, timingMode, viewOf, type BatchRecord } from './lifecycle';
import { renderResultLine } from './outcomes';
import type {
  BatchRequestInput,
  CreateBatchOptions,
  Emulator,
  EmulatorOptions,
  Fault,
  LoggedRequest,
  MessageBatchJson,
  Route,
  Timing,
} from './types';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_REQUESTS, LATEST_API_VERSION, validateCreateBody, validateRequests } from './validation';

// The HTTP side: routing, auth, faults, the request log, and the JSON / JSONL answers.

export const DEFAULT_API_KEY = 'sk-ant-emulator';
export const DEFAULT_SEED = 20241008;
const BATCHES_PATH = '/v1/messages/batches';
const CONTROL_PREFIX = '/_emulator/';
/** Results lines are written in groups of this many, respecting backpressure. */
const LINES_PER_WRITE = 500;

interface RouteMatch {
  route: Route;
  id?: string;
}

/** Which API route a method and path name, or null. */
export function matchRoute(method: string, pathname: string): RouteMatch | null {
  if (pathname === BATCHES_PATH || pathname === `${BATCHES_PATH}/`) {
    if (method === 'POST') return { route: 'create' };
    if (method === 'GET') return { route: 'list' };
    return null;
  }
  if (!pathname.startsWith(`${BATCHES_PATH}/`)) return null;
  const parts = pathname.slice(BATCHES_PATH.length + 1).split('/');
  let id: string;
  try {
    id = decodeURIComponent(parts[0]);
  } catch {
    return null;
  }
  if (!id) return null;
  if (parts.length === 1) {
    if (method === 'GET') return { route: 'retrieve', id };
    if (method === 'DELETE') return { route: 'delete', id };
    return null;
  }
  if (parts.length === 2 && parts[1] === 'cancel' && method === 'POST') return { route: 'cancel', id };
  if (parts.length === 2 && parts[1] === 'results' && method === 'GET') return { route: 'results', id };
  return null;
}

type Answer =
  | { kind: 'json'; status: number; body: unknown }
  | { kind: 'results'; record: BatchRecord };

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function waitForDrainOrClose(res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export class EmulatorServer implements Emulator {
  readonly apiKey: string;
  readonly requests: LoggedRequest[] = [];
  readonly clock: { now(): number; advance(ms: number): void };
  readonly faults: { add(f: Fault): void; clear(): void; pending(): Fault[] };

  private readonly server: http.Server;
  /** The batches of `apiKey`'s account (the only ones saved to the state file, and the clock). */
  private readonly store: BatchStore;
  /** Every account's batches, by key: `apiKey`'s first. */
  private readonly stores = new Map<string, BatchStore>();
  private readonly faultQueue = new FaultQueue();
  private readonly timing: Timing;
  private readonly cancelLatencyMs: number;
  private readonly maxBodyBytes: number;
  private readonly maxRequests: number;
  private readonly seed: number;
  private readonly baseNow: () => number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private origin = '';
  private closed = false;

  constructor(private readonly options: EmulatorOptions = {}) {
    this.apiKey = options.apiKey ?? DEFAULT_API_KEY;
    if (!this.apiKey) throw new Error('emulator: apiKey must not be empty');
    this.timing = options.timing ?? 'instant';
    timingMode(this.timing); // throws now on a bad timing rather than on the first create
    this.cancelLatencyMs = Math.max(0, options.cancelLatencyMs ?? 0);
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.maxRequests = options.maxRequestsPerBatch ?? DEFAULT_MAX_REQUESTS;
    this.seed = options.seed ?? DEFAULT_SEED;
    this.baseNow = options.now ?? Date.now;
    this.store = new BatchStore(this.seed, options.statePath);
    this.stores.set(this.apiKey, this.store);
    for (const key of options.otherApiKeys ?? []) {
      if (!key || this.stores.has(key)) throw new Error('emulator: otherApiKeys must be non-empty and differ from each other and from apiKey');
      // A seed of its own: ids differ from the other accounts' as they would on the API.
      this.stores.set(key, new BatchStore(hash32(`${this.seed}:${this.stores.size}`)));
    }
    this.clock = {
      now: () => this.baseNow() + this.store.clockOffsetMs,
      advance: (ms: number) => {
        if (!(Number.isFinite(ms) && ms >= 0)) throw new Error('clock.advance: ms must be a finite number >= 0');
        this.store.clockOffsetMs += ms;
        this.store.save();
      },
    };
    this.faults = {
      add: (f) => this.faultQueue.add(f),
      clear: () => this.faultQueue.clear(),
      pending: () => this.faultQueue.pending(),
    };
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => this.fail(res, err));
    });
  }

  get url(): string {
    return this.origin;
  }

  async listen(): Promise<void> {
    this.store.load();
    const port = this.options.port ?? 0;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  // ---- direct API (no HTTP) ----

  createBatch(requests: BatchRequestInput[], opts: CreateBatchOptions = {}): MessageBatchJson {
    const valid = validateRequests(requests, this.maxRequests);
    const now = this.clock.now();
    const store = this.stores.get(opts.apiKey ?? this.apiKey);
    if (!store) throw new Error('createBatch: apiKey is not one of the emulator\'s keys');
    const record = store.create(valid, {
      createdAt: opts.createdAt ?? now,
      timing: opts.timing ?? this.timing,
      cancelLatencyMs: opts.cancelLatencyMs ?? this.cancelLatencyMs,
      apiVersion: opts.anthropicVersion ?? LATEST_API_VERSION,
      outcomes: opts.outcomes,
    });
    this.store.save();
    return viewOf(record, now, this.origin);
  }

  step(batchId: string, n?: number): void {
    if (n !== undefined && !(n >= 0)) throw new Error('step: n must be >= 0');
    if (advanceBatch(this.known(batchId), n ?? Infinity, this.clock.now())) this.store.save();
  }

  finish(batchId: string): void {
    this.step(batchId);
  }

  cancel(batchId: string, at?: number): MessageBatchJson {
    const now = this.clock.now();
    const record = this.known(batchId);
    const outcome = startCancel(record, at ?? now);
    if (outcome === 'ended') throw new Error(`cancel: batch ${batchId} had already ended`);
    this.store.save();
    return viewOf(record, now, this.origin, { notEnded: (at ?? now) === now });
  }

  batch(batchId: string): MessageBatchJson | undefined {
    const record = this.find(batchId);
    return record && viewOf(record, this.clock.now(), this.origin);
  }

  batchIds(apiKey?: string): string[] {
    return (this.stores.get(apiKey ?? this.apiKey)?.all() ?? []).map((b) => b.id);
  }

  reset(): void {
    for (const store of this.stores.values()) if (store !== this.store) store.reset();
    this.store.reset();
    this.faultQueue.clear();
    this.requests.length = 0;
    this.store.save();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** A batch of any account. */
  private find(batchId: string): BatchRecord | undefined {
    for (const store of this.stores.values()) {
      const record = store.get(batchId);
      if (record) return record;
    }
    return undefined;
  }

  private known(batchId: string): BatchRecord {
    const record = this.find(batchId);
    if (!record) throw new Error(`emulator: no batch ${batchId}`);
    return record;
  }

  // ---- HTTP ----

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestId = this.store.nextRequestId();
    res.setHeader('request-id', requestId);
    // The API's own clock, as a real server sends it (Node would send the machine's).
    res.setHeader('date', new Date(this.clock.now()).toUTCString());
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');

    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      res.on('close', () => this.options.log?.(`${method} ${this.redact(url.pathname)} ${res.headersSent ? res.statusCode : 0} ${requestId}`));
      return this.handleControl(req, res, url);
    }

    const match = matchRoute(method, url.pathname);
    const entry: LoggedRequest = {
      time: this.clock.now(),
      method,
      path: url.pathname,
      route: match?.route ?? 'unknown',
      status: 0,
      requestId,
      query: Object.fromEntries([...url.searchParams].map(([k, v]) => [k, this.redact(v)])),
      headers: this.loggableHeaders(req),
    };
    this.requests.push(entry);
    // Logged once the answer is handed to the socket ('finish'), or when the socket goes ('close').
    let logged = false;
    const logLine = (): void => {
      if (logged) return;
      logged = true;
      const note = entry.dropped ? ` (${entry.dropped})` : '';
      this.options.log?.(`${method} ${this.redact(url.pathname + url.search)} ${entry.status} ${requestId}${note}`);
    };
    res.once('finish', logLine);
    res.once('close', logLine);

    const fault = match ? this.faultQueue.take(match.route) : undefined;
    try {
      if (fault?.delayMs) await this.sleep(fault.delayMs);
      const declared = Number(header(req, 'content-length') ?? 0);
      if (declared > this.maxBodyBytes) throw this.tooLarge();
      if (fault?.drop === 'before-commit') {
        await this.readBody(req);
        return this.drop(res, entry, 'before-commit');
      }
      if (fault?.status !== undefined) {
        const type = fault.errorType ?? errorTypeForStatus(fault.status);
        throw new HttpError(fault.status, fault.message ?? defaultErrorMessage(type), type);
      }
      const store = this.authenticate(req);
      if (!header(req, 'anthropic-version')) throw new HttpError(400, 'anthropic-version: header is required', 'invalid_request_error');
      if (!match) throw new HttpError(404, `Not Found: ${method} ${url.pathname}`, 'not_found_error');

      const answer = await this.answer(match, req, url, store);
      if (fault?.drop === 'after-commit') return this.drop(res, entry, 'after-commit');
      if (answer.kind === 'json') return this.sendJson(res, entry, answer.status, answer.body);
      return await this.streamResults(res, entry, answer.record, fault?.cutAfterLines);
    } catch (err) {
      if (err instanceof HttpError) {
        const headers: Record<string, string> = {};
        if (fault?.status !== undefined && fault.retryAfter !== undefined) {
          headers['retry-after'] = String(fault.retryAfter);
          headers['retry-after-ms'] = String(Math.round(fault.retryAfter * 1000));
        }
        if (fault?.status !== undefined && fault.shouldRetry !== undefined) headers['x-should-retry'] = String(fault.shouldRetry);
        if (fault?.status !== undefined && fault.headers) Object.assign(headers, fault.headers);
        return this.sendJson(res, entry, err.status, errorEnvelope(err.errorType, err.message, requestId), headers);
      }
      throw err;
    }
  }

  /** Answers for the account of the key the request carries: its batches only. */
  private async answer(match: RouteMatch, req: http.IncomingMessage, url: URL, store: BatchStore): Promise<Answer> {
    const now = this.clock.now();
    const id = match.id ?? '';
    switch (match.route) {
      case 'create': {
        const raw = await this.readBody(req);
        let body: unknown;
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch (err) {
          throw new HttpError(400, `body: Invalid JSON: ${(err as Error).message}`, 'invalid_request_error');
        }
        const requests = validateCreateBody(body, this.maxRequests);
        const record = store.create(requests, {
          createdAt: now,
          timing: this.timing,
          cancelLatencyMs: this.cancelLatencyMs,
          apiVersion: header(req, 'anthropic-version') ?? LATEST_API_VERSION,
        });
        this.store.save();
        return { kind: 'json', status: 200, body: viewOf(record, now, this.origin, { notEnded: true }) };
      }
      case 'retrieve':
        return { kind: 'json', status: 200, body: viewOf(store.require(id), now, this.origin) };
      case 'list':
        return { kind: 'json', status: 200, body: this.list(url.searchParams, now, store) };
      case 'cancel': {
        const record = store.require(id);
        const outcome = startCancel(record, now);
        if (outcome === 'ended') {
          throw new HttpError(400, `Message batch ${id} has already ended and can no longer be canceled.`, 'invalid_request_error');
        }
        if (outcome === 'started') this.store.save();
        return { kind: 'json', status: 200, body: viewOf(record, now, this.origin, { notEnded: true }) };
      }
      case 'delete': {
        const record = store.require(id);
        if (!isEnded(record, now)) {
          const status = viewOf(record, now, this.origin).processing_status;
          throw new HttpError(
            400,
            `Message batch ${id} is still processing (processing_status: ${status}); cancel it and wait until it has ended before deleting it.`,
            'invalid_request_error',
          );
        }
        store.delete(id);
        this.store.save();
        return { kind: 'json', status: 200, body: { id, type: 'message_batch_deleted' } };
      }
      case 'results': {
        const record = store.require(id);
        if (!isEnded(record, now)) {
          throw new HttpError(
            400,
            `Message batch ${id} has not finished processing; its results are available once processing_status is 'ended'.`,
            'invalid_request_error',
          );
        }
        if (isArchived(record, now)) {
          throw new HttpError(
            404,
            `The results of message batch ${id} have been deleted: results are kept for 29 days after a batch is created.`,
            'not_found_error',
          );
        }
        return { kind: 'results', record };
      }
    }
  }

  private list(query: URLSearchParams, now: number, store: BatchStore): unknown {
    let limit = 20;
    const rawLimit = query.get('limit');
    if (rawLimit !== null) {
      if (!/^-?\d+$/.test(rawLimit)) throw new HttpError(400, 'limit: Input should be a valid integer', 'invalid_request_error');
      limit = Number(rawLimit);
      if (limit < 1) throw new HttpError(400, 'limit: Input should be greater than or equal to 1', 'invalid_request_error');
      if (limit > 1000) throw new HttpError(400, 'limit: Input should be less than or equal to 1000', 'invalid_request_error');
    }
    const afterId = query.get('after_id') ?? undefined;
    const beforeId = query.get('before_id') ?? undefined;
    if (afterId !== undefined && beforeId !== undefined) {
      throw new HttpError(400, 'after_id and before_id cannot both be set', 'invalid_request_error');
    }
    const page = store.page(limit, afterId, beforeId);
    const data = page.data.map((b) => viewOf(b, now, this.origin));
    return {
      data,
      has_more: page.hasMore,
      first_id: data.length > 0 ? data[0].id : null,
      last_id: data.length > 0 ? data[data.length - 1].id : null,
    };
  }

  /** The account of the key the request carries; 401 when it carries none of the emulator's. */
  private authenticate(req: http.IncomingMessage): BatchStore {
    const apiKey = header(req, 'x-api-key');
    const authorization = header(req, 'authorization');
    const bearer = authorization !== undefined && /^Bearer\s+/i.test(authorization) ? authorization.replace(/^Bearer\s+/i, '').trim() : undefined;
    for (const [key, store] of this.stores) {
      if ((apiKey !== undefined && sameSecret(apiKey, key)) || (bearer !== undefined && sameSecret(bearer, key))) return store;
    }
    const message = apiKey === undefined && authorization === undefined ? 'x-api-key header is required' : 'invalid x-api-key';
    throw new HttpError(401, message, 'authentication_error');
  }

  private tooLarge(): HttpError {
    return new HttpError(413, `Request exceeds the maximum allowed number of bytes (${this.maxBodyBytes}).`, 'request_too_large');
  }

  /** Reads a body, counting bytes as they come; past the limit it stops keeping them and answers 413. */
  private readBody(req: http.IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const settle = (fn: () => void): void => {
        if (!settled) {
          settled = true;
          fn();
        }
      };
      req.on('data', (chunk: Buffer) => {
        if (settled) return; // past the limit: keep reading, keep nothing
        size += chunk.length;
        if (size > this.maxBodyBytes) {
          chunks.length = 0;
          settle(() => reject(this.tooLarge()));
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => settle(() => resolve(Buffer.concat(chunks, size))));
      req.on('error', (err) => settle(() => reject(err)));
      req.on('close', () => settle(() => reject(new Error('client closed the request before sending its body'))));
    });
  }

  private sendJson(
    res: http.ServerResponse,
    entry: LoggedRequest,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    if (res.destroyed || res.headersSent) return;
    const text = JSON.stringify(body);
    entry.status = status;
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  private drop(res: http.ServerResponse, entry: LoggedRequest, how: 'before-commit' | 'after-commit'): void {
    entry.dropped = how;
    res.destroy();
  }

  /** JSONL in a deterministic shuffled order, written in groups as the socket takes them. */
  private async streamResults(res: http.ServerResponse, entry: LoggedRequest, record: BatchRecord, cutAfterLines?: number): Promise<void> {
    const end = endOf(record);
    const n = record.plans.length;
    const order = shuffledIndices(n, hash32(`${this.seed}:${record.id}`));
    const limit = cutAfterLines ?? Infinity;
    entry.status = 200;
    res.writeHead(200, {
      'content-type': 'application/x-jsonl',
      'content-disposition': `attachment; filename*=utf-8''${record.id}_results.jsonl`,
    });
    if (cutAfterLines !== undefined) res.flushHeaders();
    let pending: string[] = [];
    for (let j = 0; j < n && j < limit; j++) {
      const i = order[j];
      pending.push(`${renderResultLine(record.plans[i], record.id, i, finalKind(record, end, i))}\n`);
      if (pending.length >= LINES_PER_WRITE) {
        const more = res.write(pending.join(''));
        pending = [];
        if (!more) await waitForDrainOrClose(res);
        if (res.destroyed) return;
      }
    }
    if (cutAfterLines === undefined) {
      res.end(pending.join(''));
      return;
    }
    // Cut mid-stream: make sure the lines already written reach the client, then close the socket
    // without the terminating chunk, so the client sees a truncated body.
    if (pending.length > 0) await new Promise<void>((resolve) => res.write(pending.join(''), () => resolve()));
    const socket = res.socket;
    if (socket && socket.writableLength > 0) await new Promise<void>((resolve) => socket.once('drain', () => resolve()));
    // A connection that dies after the data arrived: give the client a moment to read it. (A
    // fetch body stream that errors drops the chunks it had queued but not yet handed over.)
    await new Promise((resolve) => setTimeout(resolve, 100));
    entry.dropped = 'cut';
    res.destroy();
  }

  private fail(res: http.ServerResponse, err: unknown): void {
    this.options.log?.(`emulator error: ${this.redact(err instanceof Error ? (err.stack ?? err.message) : String(err))}`);
    if (res.destroyed) return;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const requestId = String(res.getHeader('request-id') ?? '');
    const text = JSON.stringify(errorEnvelope('api_error', 'Internal server error', requestId));
    res.writeHead(500, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private redact(text: string): string {
    let out = text;
    for (const key of this.stores.keys()) if (out.includes(key)) out = out.split(key).join('[redacted]');
    return out;
  }

  private loggableHeaders(req: http.IncomingMessage): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (name === 'authorization' || name === 'x-api-key' || value === undefined) continue;
      out[name] = this.redact(Array.isArray(value) ? value.join(', ') : value);
    }
    return out;
  }

  // ---- control endpoints, for an emulator running in another process (cli.ts) ----

  private async handleControl(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const reply = (status: number, body: unknown): void => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    try {
      this.authenticate(req);
      const raw = req.method === 'POST' ? (await this.readBody(req)).toString('utf8') : '';
      const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
      const action = `${req.method} ${url.pathname.slice(CONTROL_PREFIX.length)}`;
      switch (action) {
        case 'GET state':
          return reply(200, { now: this.clock.now(), batch_ids: this.batchIds(), faults: this.faults.pending() });
        case 'POST advance':
          this.clock.advance(Number(body.ms));
          return reply(200, { now: this.clock.now() });
        case 'POST step':
          this.step(String(body.batch_id), body.n === undefined ? undefined : Number(body.n));
          return reply(200, this.batch(String(body.batch_id)));
        case 'POST finish':
          this.finish(String(body.batch_id));
          return reply(200, this.batch(String(body.batch_id)));
        case 'POST faults':
          this.faults.add(body as unknown as Fault);
          return reply(200, { faults: this.faults.pending() });
        case 'DELETE faults':
          this.faults.clear();
          return reply(200, { faults: [] });
        case 'POST reset':
          this.reset();
          return reply(200, { ok: true });
        case 'GET requests':
          return reply(200, { requests: this.requests });
        default:
          throw new HttpError(404, `Not Found: ${action}`, 'not_found_error');
      }
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 400;
      const type = err instanceof HttpError ? err.errorType : 'invalid_request_error';
      return reply(status, errorEnvelope(type, (err as Error).message, String(res.getHeader('request-id'))));
    }
  }
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = new EmulatorServer(opts);
  await emulator.listen();
  return emulator;
}
