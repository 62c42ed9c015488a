import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { strict as assert } from 'node:assert';
import { BatchesApi, createClient, type MessageBatch, type MessageBatchIndividualResponse } from '../../../src/api';
import type { OpenForWrite, ResultsSource, WritableFile } from '../../../src/domain/results';

/** The API as the extension uses it: BatchesApi offers the raw body (`resultsBody`), preferred by the archive. */
export function rawSource(baseUrl: string, apiKey: string): BatchesApi {
  const api = new BatchesApi(createClient({ apiKey, baseUrl, maxRetries: 0 }));
  assert.equal(typeof api.resultsBody, 'function');
  return api;
}

/** Only the SDK's decoder (what BatchesApi gives today). */
export function decoderSource(baseUrl: string, apiKey: string): ResultsSource {
  const api = new BatchesApi(createClient({ apiKey, baseUrl, maxRetries: 0 }));
  return { results: (id, options) => api.results(id, options) };
}

export function tempDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `claude-batches-${name}-`));
}

export function request(customId: string, text: string, extra: Record<string, unknown> = {}): { custom_id: string; params: Record<string, unknown> } {
  return { custom_id: customId, params: { model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user', content: text }], ...extra } };
}

export function batchObject(id: string, counts: Partial<MessageBatch['request_counts']>, baseUrl = 'http://127.0.0.1', extra: Partial<MessageBatch> = {}): MessageBatch {
  return {
    id,
    type: 'message_batch',
    processing_status: 'ended',
    request_counts: { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0, ...counts },
    created_at: '2026-01-01T00:00:00Z',
    expires_at: '2026-01-02T00:00:00Z',
    ended_at: '2026-01-01T00:42:00Z',
    cancel_initiated_at: null,
    archived_at: null,
    results_url: `${baseUrl}/v1/messages/batches/${id}/results`,
    ...extra,
  } as MessageBatch;
}

type Usage = { input_tokens: number; output_tokens: number; cache_creation_input_tokens?: number; cache_read_input_tokens?: number; cache_creation?: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number } };

export function succeeded(customId: string, content: unknown[] | string = 'ok', options: { model?: string; usage?: Usage; stop?: string } = {}): MessageBatchIndividualResponse {
  const blocks = typeof content === 'string' ? [{ type: 'text', text: content, citations: null }] : content;
  return {
    custom_id: customId,
    result: {
      type: 'succeeded',
      message: {
        id: `msg_${customId}`,
        type: 'message',
        role: 'assistant',
        model: options.model ?? 'claude-sonnet-4-5',
        content: blocks,
        stop_reason: options.stop ?? 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, ...options.usage },
      },
    },
  } as unknown as MessageBatchIndividualResponse;
}

export function errored(customId: string, type: string, message = `${type} happened`, requestId = `req_${customId}`): MessageBatchIndividualResponse {
  return { custom_id: customId, result: { type: 'errored', error: { type: 'error', error: { type, message }, request_id: requestId } } } as unknown as MessageBatchIndividualResponse;
}

export function ended(customId: string, type: 'expired' | 'canceled'): MessageBatchIndividualResponse {
  return { custom_id: customId, result: { type } } as MessageBatchIndividualResponse;
}

export function writeJsonl(file: string, lines: unknown[]): string {
  fs.writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return file;
}

/**
 * A tiny API stand-in serving one ended batch (results_url on its own origin) and a results body
 * given as raw chunks, so tests can send what the emulator never does: blank lines, garbage,
 * a line cut in half.
 */
export async function serveBatch(id: string, counts: Partial<MessageBatch['request_counts']>, chunks: (string | Buffer)[], options: { cut?: boolean } = {}): Promise<{ url: string; close(): Promise<void> }> {
  let origin = '';
  const server = http.createServer((req, res) => {
    if (req.url === `/v1/messages/batches/${id}`) {
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_test' });
      res.end(JSON.stringify(batchObject(id, counts, origin)));
      return;
    }
    if (req.url === `/v1/messages/batches/${id}/results`) {
      res.writeHead(200, { 'content-type': 'application/x-jsonl', 'request-id': 'req_test' });
      if (!options.cut) {
        for (const chunk of chunks) res.write(chunk);
        res.end();
        return;
      }
      // Send every chunk, give the client a moment to read them, then close the socket without
      // the terminating chunk: a truncated body.
      void (async () => {
        for (const chunk of chunks) await new Promise<void>((resolve) => res.write(chunk, () => resolve()));
        await new Promise((resolve) => setTimeout(resolve, 50));
        res.socket?.destroy();
      })();
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: 'nope' }, request_id: 'req_404' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The error a full disk gives. */
export function enospc(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
}

/**
 * Opens real files that behave like a disk with `budget` bytes free, shared by every file it
 * opens (the way a disk is): a write that does not fit writes what fits (a short write, as the
 * kernel does) and the next one throws ENOSPC. `only` limits the budget to matching paths.
 */
export function fullDisk(budget: number, only: (file: string) => boolean = () => true): OpenForWrite & { opened: string[] } {
  let free = budget;
  const opened: string[] = [];
  const open = async (file: string): Promise<WritableFile> => {
    opened.push(file);
    const handle = await fs.promises.open(file, 'w');
    if (!only(file)) return handle;
    const write = async (buffer: Buffer, offset: number, length: number) => {
      if (free <= 0) throw enospc();
      const n = Math.min(length, free);
      free -= n;
      return handle.write(buffer, offset, n);
    };
    return {
      write,
      writev: async (buffers: Buffer[]) => {
        const block = Buffer.concat(buffers);
        return write(block, 0, block.length);
      },
      truncate: (length: number) => handle.truncate(length),
      close: () => handle.close(),
    };
  };
  return Object.assign(open, { opened });
}

/** Fails the test instead of hanging when `promise` does not settle in time (a blocking open would). */
export async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
