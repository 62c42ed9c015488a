import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatchesApi, createClient } from '../../../src/api';
import { submitOnce } from '../../../src/domain/submission';

// Uploads over links that are slow, stall or break, against a loopback server that reads the
// streamed create body as a network would let it through. The body is sent as chunks of one
// buffer reused (memory stays small whatever the size).

const MB = 1024 * 1024;

async function* body(totalBytes: number): AsyncGenerator<Uint8Array> {
  const chunk = Buffer.alloc(256 * 1024, 0x20);
  for (let sent = 0; sent < totalBytes; sent += chunk.length) yield chunk;
}

const fakeBatch = (id: string, requests: number) => ({
  id,
  type: 'message_batch',
  processing_status: 'in_progress',
  request_counts: { processing: requests, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
  created_at: new Date().toISOString(),
  expires_at: new Date(Date.now() + 86_400_000).toISOString(),
  ended_at: null,
  cancel_initiated_at: null,
  archived_at: null,
  results_url: null,
});

type CreateHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

interface FakeApi {
  url: string;
  received: () => number;
  lists: () => number;
  close: () => Promise<void>;
}

/** A loopback API: `create` behaves as the test says; `list` answers with no batch. */
async function fakeApi(onCreate: CreateHandler): Promise<FakeApi> {
  let received = 0;
  let lists = 0;
  const server = http.createServer((req, res) => {
    if (req.method === 'GET') {
      lists++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: [], has_more: false, first_id: null, last_id: null }));
      return;
    }
    req.on('data', (chunk: Buffer) => (received += chunk.length));
    onCreate(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: () => received,
    lists: () => lists,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Reads at about `bytesPerSecond`, then answers with a created batch. */
function throttled(bytesPerSecond: number): CreateHandler {
  return (req, res) => {
    req.on('data', (chunk: Buffer) => {
      req.pause();
      setTimeout(() => req.resume(), (chunk.length / bytesPerSecond) * 1000);
    });
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(fakeBatch('msgbatch_slow', 1)));
    });
  };
}

/** Reads `bytes`, then stops reading for good (the link stalls mid-body). */
function stallAfter(bytes: number): CreateHandler {
  return (req) => {
    let seen = 0;
    req.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen >= bytes) req.pause();
    });
  };
}

describe('streamed uploads on slow, stalled and broken links', () => {
  let server: FakeApi | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const submit = (api: BatchesApi, bytes: number) =>
    submitOnce({ api, requestCount: 1, send: (a, signal) => a.createFromStream(body(bytes), { signal }), isKnownBatch: () => false, action: 'Submitting big.jsonl' });

  it('a slow link that keeps accepting bytes completes, however long the whole upload takes', async () => {
    server = await fakeApi(throttled(16 * MB));
    // The client's total timeout is far shorter than the upload: it must not cover the body.
    const api = new BatchesApi(createClient({ apiKey: 'sk-ant-upload-test', baseUrl: server.url, timeoutMs: 300, upload: { idleMs: 1_000, answerMs: 5_000 } }));
    const started = Date.now();
    const outcome = await submit(api, 16 * MB);
    assert.equal(outcome.kind, 'created', outcome.kind !== 'created' ? outcome.error.message : '');
    assert.ok(Date.now() - started > 600, 'the upload was not slower than the total timeout: the test proves nothing');
    assert.ok(server.received() >= 16 * MB);
  });

  it('a link that stalls mid-body fails after the idle time, definitely not submitted, and nothing is looked for', async () => {
    server = await fakeApi(stallAfter(2 * MB));
    const api = new BatchesApi(createClient({ apiKey: 'sk-ant-upload-test', baseUrl: server.url, timeoutMs: 60_000, upload: { idleMs: 300, answerMs: 60_000 } }));
    const started = Date.now();
    const outcome = await submit(api, 256 * MB);
    assert.ok(Date.now() - started < 10_000, 'the stall was not noticed in time');
    assert.equal(outcome.kind, 'failed');
    assert.equal(outcome.error.kind, 'notSent');
    assert.match(outcome.error.message, /^Submitting big\.jsonl failed: /);
    assert.match(outcome.error.message, /stalled/);
    assert.match(outcome.error.message, /Nothing was created/);
    assert.doesNotMatch(outcome.error.message, /not known/);
    assert.equal(server.lists(), 0, 'looked for a batch that cannot exist');
  });

  it('a connection that breaks mid-body is definitely not submitted', async () => {
    server = await fakeApi((req) => {
      let seen = 0;
      req.on('data', (chunk: Buffer) => {
        seen += chunk.length;
        if (seen >= MB) req.socket.destroy();
      });
    });
    const api = new BatchesApi(createClient({ apiKey: 'sk-ant-upload-test', baseUrl: server.url, upload: { idleMs: 5_000, answerMs: 5_000 } }));
    const outcome = await submit(api, 256 * MB);
    assert.equal(outcome.kind, 'failed');
    assert.equal(outcome.error.kind, 'notSent');
    assert.match(outcome.error.message, /Nothing was created/);
    assert.equal(server.lists(), 0);
  });

  it('no answer after the whole body was sent: ambiguous, the batch is looked for', async () => {
    server = await fakeApi((req) => req.resume()); // reads everything, never answers
    const api = new BatchesApi(createClient({ apiKey: 'sk-ant-upload-test', baseUrl: server.url, upload: { idleMs: 5_000, answerMs: 300 } }));
    const started = Date.now();
    const outcome = await submit(api, MB);
    assert.ok(Date.now() - started < 10_000);
    assert.equal(outcome.kind, 'unknown');
    assert.equal(outcome.error.kind, 'timeout');
    assert.match(outcome.error.message, /whole batch was sent/);
    assert.equal(server.lists(), 1);
  });

  it('the connection breaking after the whole body was sent stays ambiguous', async () => {
    server = await fakeApi((req) => {
      req.resume();
      req.on('end', () => req.socket.destroy());
    });
    const api = new BatchesApi(createClient({ apiKey: 'sk-ant-upload-test', baseUrl: server.url }));
    const outcome = await submit(api, MB);
    assert.equal(outcome.kind, 'unknown');
    assert.equal(outcome.error.kind, 'connection');
  });

  it('an early answer (the API refuses before reading the whole body) stops the upload and is reported', async () => {
    server = await fakeApi((req, res) => {
      res.writeHead(413, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'request_too_large', message: 'Request exceeds the maximum size' } }));
      req.resume();
    });
    const api = new BatchesApi(createClient({ apiKey: 'sk-ant-upload-test', baseUrl: server.url }));
    const outcome = await submit(api, 64 * MB);
    assert.equal(outcome.kind, 'failed');
    assert.equal(outcome.error.kind, 'tooLarge');
  });
});
