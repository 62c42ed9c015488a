import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatchesApi, createClient, describeError, ForeignOriginError, ResultsNotReadyError } from '../../../src/api';
import { startEmulator, type Emulator } from '../../emulator';
import { defaultResultsLimit } from '../../../src/api/batchesApi';

const request = (id: string, text = 'Hello') => ({
  custom_id: id,
  params: { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user' as const, content: text }] },
});

describe('BatchesApi against the emulator', () => {
  let emulator: Emulator;
  let api: BatchesApi;

  beforeEach(async () => {
    emulator = await startEmulator({ timing: 'manual' });
    api = new BatchesApi(createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url }));
  });
  afterEach(async () => {
    await emulator.close();
  });

  it('lists one page at a time, newest first, with a cursor for the next', async () => {
    for (let i = 0; i < 5; i++) emulator.createBatch([request(`r${i}`)], { createdAt: Date.now() - (5 - i) * 60_000 });
    const first = await api.listPage({ limit: 2 });
    assert.equal(first.batches.length, 2);
    assert.equal(first.hasMore, true);
    assert.ok(first.batches[0].created_at > first.batches[1].created_at, 'newest first');
    const second = await api.listPage({ limit: 2, afterId: first.lastId! });
    const third = await api.listPage({ limit: 2, afterId: second.lastId! });
    assert.equal(third.hasMore, false);
    const ids = [...first.batches, ...second.batches, ...third.batches].map((b) => b.id);
    assert.equal(new Set(ids).size, 5);
  });

  it('creates a batch, retrieves, cancels and deletes it', async () => {
    const created = await api.create([request('a'), request('b')]);
    assert.equal(created.processing_status, 'in_progress');
    assert.equal(created.request_counts.processing, 2);
    assert.equal((await api.retrieve(created.id)).id, created.id);
    const canceling = await api.cancel(created.id);
    assert.equal(canceling.processing_status, 'canceling');
    emulator.finish(created.id);
    const deleted = await api.delete(created.id);
    assert.deepEqual(deleted, { id: created.id, type: 'message_batch_deleted' });
  });

  it('sends create exactly once, even when the server fails with a retryable status', async () => {
    emulator.faults.add({ route: 'create', status: 500, times: 3 });
    await assert.rejects(api.create([request('a')]), (err) => describeError(err).kind === 'server');
    assert.equal(emulator.requests.filter((r) => r.route === 'create').length, 1);
    assert.equal(emulator.batchIds().length, 0);
  });

  it('still lets the SDK retry idempotent calls (retrieve after a 529)', async () => {
    const batch = emulator.createBatch([request('a')]);
    emulator.faults.add({ route: 'retrieve', status: 529, retryAfter: 0 });
    const got = await api.retrieve(batch.id);
    assert.equal(got.id, batch.id);
    assert.equal(emulator.requests.filter((r) => r.route === 'retrieve').length, 2);
  });

  // The SDK retries inside the call, sleeping as long as retry-after says if a timer can hold it
  // (up to 24.8 days): a refresh or a cancel would hang that long. Its delay goes through the same
  // bounds as the poller's, and a long one comes back at once as a rate limit that names the wait.
  for (const [name, headers, wait] of [
    ['11 days in seconds', { 'retry-after': '1000000' }, 3600],
    ['a date a week past the server’s own Date', { date: 'Mon, 01 Jan 2001 00:00:00 GMT', 'retry-after': 'Mon, 08 Jan 2001 00:00:00 GMT' }, 3600],
    ['two minutes', { 'retry-after': '120' }, 120],
  ] as const) {
    it(`a retry-after of ${name}: the call does not sleep on it, and says how long to wait`, async () => {
      const batch = emulator.createBatch([request('a')]);
      emulator.faults.add({ route: 'retrieve', status: 429, headers });
      const controller = new AbortController();
      const pending = api.retrieve(batch.id, { signal: controller.signal }).then(
        () => assert.fail('the call succeeded'),
        (err: unknown) => describeError(err),
      );
      const hung = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 3_000).unref());
      const outcome = await Promise.race([pending, hung]);
      controller.abort();
      assert.notEqual(outcome, 'hung', 'the call slept on the retry-after');
      assert.ok(outcome !== 'hung' && outcome.kind === 'rateLimited', JSON.stringify(outcome));
      assert.equal(outcome.retryAfterSeconds, wait);
      assert.equal(emulator.requests.filter((r) => r.route === 'retrieve').length, 1, 'not retried behind the caller’s back');
    });
  }

  it('a short retry-after is still honoured by the SDK, and garbage falls back to its own backoff', async () => {
    const batch = emulator.createBatch([request('a')]);
    emulator.faults.add({ route: 'retrieve', status: 429, headers: { 'retry-after-ms': '50' } });
    assert.equal((await api.retrieve(batch.id)).id, batch.id);
    emulator.faults.add({ route: 'retrieve', status: 429, headers: { 'retry-after': '-1e400', 'retry-after-ms': 'soon' } });
    assert.equal((await api.retrieve(batch.id)).id, batch.id);
    assert.deepEqual(
      emulator.requests.filter((r) => r.route === 'retrieve').map((r) => r.status),
      [429, 200, 429, 200],
    );
  });

  it('passes the abort signal where the SDK reads it (third argument)', async () => {
    const batch = emulator.createBatch([request('a')]);
    emulator.faults.add({ route: 'retrieve', delayMs: 2_000 });
    const controller = new AbortController();
    const pending = api.retrieve(batch.id, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    await assert.rejects(pending, (err) => describeError(err).kind === 'aborted');
    assert.ok(Date.now() - started < 1_500, 'the abort was ignored');
  });

  it('streams results of an ended batch, every custom_id once', async () => {
    const batch = emulator.createBatch([request('a'), request('b'), request('c', 'x [[emulator:api_error]]')]);
    emulator.finish(batch.id);
    const { batch: ended, results } = await api.results(batch.id);
    assert.equal(ended.processing_status, 'ended');
    const seen = new Map<string, string>();
    for await (const line of results) seen.set(line.custom_id, line.result.type);
    assert.deepEqual([...seen.keys()].sort(), ['a', 'b', 'c']);
    assert.equal(seen.get('c'), 'errored');
  });

  it('gives the raw results body as bytes, one JSON line per result', async () => {
    const batch = emulator.createBatch([request('a'), request('b')]);
    emulator.finish(batch.id);
    const { body } = await api.resultsBody(batch.id);
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(Buffer.from(chunk));
    const lines = Buffer.concat(chunks).toString('utf8').trim().split('\n');
    assert.deepEqual(lines.map((l) => (JSON.parse(l) as { custom_id: string }).custom_id).sort(), ['a', 'b']);
  });

  it('says the batch is still running instead of failing obscurely when results are not ready', async () => {
    const batch = emulator.createBatch([request('a')]);
    await assert.rejects(api.results(batch.id), (err) => {
      assert.ok(err instanceof ResultsNotReadyError);
      const described = describeError(err);
      assert.equal(described.kind, 'notReady');
      assert.match(described.message, /still in progress/);
      return true;
    });
  });
});

describe('the API key never leaves the API origin', () => {
  let decoy: http.Server;
  let decoyHits = 0;
  let api: http.Server;
  let apiUrl: string;

  before(async () => {
    // A second loopback origin that would receive the key if results_url were followed blindly.
    decoy = http.createServer((_req, res) => {
      decoyHits++;
      res.end('{}\n');
    });
    await new Promise<void>((resolve) => decoy.listen(0, '127.0.0.1', resolve));
    const decoyUrl = `http://127.0.0.1:${(decoy.address() as AddressInfo).port}`;
    // A fake API whose batch points its results at the decoy.
    api = http.createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.setHeader('request-id', 'req_fake');
      res.end(
        JSON.stringify({
          id: 'msgbatch_x',
          type: 'message_batch',
          processing_status: 'ended',
          request_counts: { processing: 0, succeeded: 1, errored: 0, canceled: 0, expired: 0 },
          created_at: new Date().toISOString(),
          expires_at: new Date().toISOString(),
          ended_at: new Date().toISOString(),
          cancel_initiated_at: null,
          archived_at: null,
          results_url: `${decoyUrl}/v1/messages/batches/msgbatch_x/results`,
        }),
      );
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  });
  after(() => {
    decoy.close();
    api.close();
  });

  it('refuses a results_url on another origin before sending anything there', async () => {
    const batches = new BatchesApi(createClient({ apiKey: 'sk-ant-secret-test-key', baseUrl: apiUrl }));
    await assert.rejects(batches.results('msgbatch_x'), (err) => {
      assert.ok(err instanceof ForeignOriginError);
      assert.equal(describeError(err).kind, 'foreignOrigin');
      return true;
    });
    assert.equal(decoyHits, 0);
  });

  it('refuses it for the raw body too', async () => {
    const batches = new BatchesApi(createClient({ apiKey: 'sk-ant-secret-test-key', baseUrl: apiUrl }));
    await assert.rejects(batches.resultsBody('msgbatch_x'), ForeignOriginError);
    assert.equal(decoyHits, 0);
  });

  it('refuses it in the client itself too, whoever calls the SDK', async () => {
    const client = createClient({ apiKey: 'sk-ant-secret-test-key', baseUrl: apiUrl, maxRetries: 0 });
    await assert.rejects(client.messages.batches.results('msgbatch_x'), (err) => {
      const described = describeError(err);
      assert.equal(described.kind, 'foreignOrigin');
      assert.doesNotMatch(described.message, /sk-ant-secret/);
      return true;
    });
    assert.equal(decoyHits, 0);
  });
  it('bounds a results download by the batch size, however many requests a server claims', () => {
    const withCount = (n: number) => ({ request_counts: { processing: 0, succeeded: n, errored: 0, canceled: 0, expired: 0 } }) as unknown as Parameters<typeof defaultResultsLimit>[0];
    assert.equal(defaultResultsLimit(withCount(10)), 10 * 8 * 1024 * 1024);
    assert.equal(defaultResultsLimit(withCount(0)), 8 * 1024 * 1024);
    assert.equal(defaultResultsLimit(withCount(1e12)), defaultResultsLimit(withCount(100_000)));
  });
});
