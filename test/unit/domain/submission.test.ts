import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { BatchesApi, createClient, type BatchRequest } from '../../../src/api';
import { findCreated, isAmbiguous, submitOnce } from '../../../src/domain/submission';
import { startEmulator, type Emulator } from '../../emulator';

const requests = (n: number): BatchRequest[] =>
  Array.from({ length: n }, (_, i) => ({
    custom_id: `r${i}`,
    params: { model: 'claude-sonnet-4-5', max_tokens: 5, messages: [{ role: 'user', content: `q${i}` }] },
  }));

describe('submitOnce', () => {
  let emulator: Emulator;
  let api: BatchesApi;
  const known = new Set<string>();

  beforeEach(async () => {
    emulator = await startEmulator({ timing: 'manual' });
    // maxRetries 2 on the client: submitOnce must still send create only once.
    api = new BatchesApi(createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url }));
    known.clear();
  });
  afterEach(async () => {
    await emulator.close();
  });

  const creates = () => emulator.requests.filter((r) => r.route === 'create').length;
  const submit = (n = 3) =>
    submitOnce({ api, requestCount: n, send: (a, signal) => a.create(requests(n), { signal }), isKnownBatch: (id) => known.has(id) });

  it('created: one request, one batch', async () => {
    const outcome = await submit();
    assert.equal(outcome.kind, 'created');
    assert.equal(creates(), 1);
    assert.equal(emulator.batchIds().length, 1);
  });

  it('dropped after the API committed: adopts the batch it created, never resends', async () => {
    emulator.faults.add({ route: 'create', drop: 'after-commit' });
    const outcome = await submit();
    assert.equal(outcome.kind, 'adopted');
    assert.equal(creates(), 1);
    assert.equal(emulator.batchIds().length, 1);
    assert.equal(outcome.kind === 'adopted' && outcome.batch.id, emulator.batchIds()[0]);
  });

  it('a 500 after the API committed (the fault answers 500 without creating): unknown, nothing resent', async () => {
    emulator.faults.add({ route: 'create', status: 500 });
    const outcome = await submit();
    assert.equal(outcome.kind, 'unknown');
    assert.equal(creates(), 1);
  });

  it('dropped before the API committed: unknown, and nothing was sent again', async () => {
    emulator.faults.add({ route: 'create', drop: 'before-commit' });
    const outcome = await submit();
    assert.equal(outcome.kind, 'unknown');
    assert.equal(creates(), 1);
    assert.equal(emulator.batchIds().length, 0);
  });

  it('does not adopt a batch with another request count, or one already known', async () => {
    emulator.createBatch(requests(5)); // someone else's batch, same minute, other size
    const mine = emulator.createBatch(requests(3));
    known.add(mine.id); // …and one that belongs to an earlier submission
    emulator.faults.add({ route: 'create', drop: 'before-commit' });
    const outcome = await submit(3);
    assert.equal(outcome.kind, 'unknown');
  });

  it('a batch created long before the submission is not adopted', async () => {
    emulator.createBatch(requests(3), { createdAt: Date.now() - 60 * 60_000 });
    emulator.faults.add({ route: 'create', drop: 'before-commit' });
    assert.equal((await submit(3)).kind, 'unknown');
  });

  describe('with a local clock that is wrong (the API\'s clock decides)', () => {
    const minutes = (n: number) => n * 60_000;
    const submitWithClock = (offsetMs: number, n = 3) =>
      submitOnce({
        api,
        requestCount: n,
        send: (a, signal) => a.create(requests(n), { signal }),
        isKnownBatch: (id) => known.has(id),
        now: () => Date.now() + offsetMs,
      });

    it('10 minutes fast: the batch the lost answer created is still adopted', async () => {
      emulator.faults.add({ route: 'create', drop: 'after-commit' });
      const outcome = await submitWithClock(minutes(10));
      assert.equal(outcome.kind, 'adopted');
    });

    it('10 minutes slow: adopted too', async () => {
      emulator.faults.add({ route: 'create', drop: 'after-commit' });
      const outcome = await submitWithClock(-minutes(10));
      assert.equal(outcome.kind, 'adopted');
    });

    it('10 minutes slow: a batch created 3 minutes before the submission began is not adopted', async () => {
      emulator.createBatch(requests(3), { createdAt: emulator.clock.now() - minutes(3) });
      emulator.faults.add({ route: 'create', drop: 'before-commit' });
      assert.equal((await submitWithClock(-minutes(10))).kind, 'unknown');
    });

    it('the API\'s clock 10 minutes ahead of ours (its Date header and created_at agree): only what this submission created is adopted', async () => {
      await emulator.close();
      emulator = await startEmulator({ timing: 'manual', now: () => Date.now() + minutes(10) });
      api = new BatchesApi(createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url }));
      const earlier = emulator.createBatch(requests(3), { createdAt: emulator.clock.now() - minutes(3) });
      emulator.faults.add({ route: 'create', drop: 'before-commit' });
      assert.equal((await submitWithClock(0)).kind, 'unknown');
      emulator.faults.add({ route: 'create', drop: 'after-commit' });
      const outcome = await submitWithClock(0);
      assert.equal(outcome.kind, 'adopted');
      assert.notEqual(outcome.kind === 'adopted' && outcome.batch.id, earlier.id);
    });
  });

  it('definite refusals are failures, not unknowns: 400, 401, 413, 429, connection refused', async () => {
    for (const status of [400, 401, 413, 429]) {
      emulator.faults.add({ route: 'create', status });
      const outcome = await submit();
      assert.equal(outcome.kind, 'failed', `HTTP ${status}`);
    }
    // A port nobody listens on (a closed emulator's port could still have pooled sockets, whose
    // reset is rightly ambiguous).
    const port = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = server.address() as net.AddressInfo;
        server.close(() => resolve(p));
      });
    });
    const offline = new BatchesApi(createClient({ apiKey: 'sk-ant-x-123456789', baseUrl: `http://127.0.0.1:${port}` }));
    const outcome = await submitOnce({ api: offline, requestCount: 1, send: (a) => a.create(requests(1)), isKnownBatch: () => false });
    assert.equal(outcome.kind, 'failed');
    assert.equal(outcome.kind === 'failed' && outcome.error.networkCode, 'ECONNREFUSED');
  });

  it('when looking for the batch fails too, says both', async () => {
    emulator.faults.add({ route: 'create', drop: 'after-commit' });
    emulator.faults.add({ route: 'list', status: 401 });
    const outcome = await submit();
    assert.equal(outcome.kind, 'unknown');
    assert.equal(outcome.kind === 'unknown' && outcome.checkError?.kind, 'auth');
    // Checking again later finds it.
    const again = await findCreated({ api, requestCount: 3, isKnownBatch: () => false }, outcome.kind === 'unknown' ? outcome.error : (undefined as never), Date.now() - 1000);
    assert.equal(again.kind, 'adopted');
  });

  it('isAmbiguous: what may have reached the API', () => {
    const base = { message: '', retryable: true };
    assert.equal(isAmbiguous({ ...base, kind: 'connection', networkCode: 'ECONNRESET' }), true);
    assert.equal(isAmbiguous({ ...base, kind: 'connection', networkCode: 'ECONNREFUSED' }), false);
    assert.equal(isAmbiguous({ ...base, kind: 'timeout' }), true);
    assert.equal(isAmbiguous({ ...base, kind: 'server' }), true);
    assert.equal(isAmbiguous({ ...base, kind: 'rateLimited' }), false);
    assert.equal(isAmbiguous({ ...base, kind: 'badRequest' }), false);
    assert.equal(isAmbiguous({ ...base, kind: 'notSent' }), false);
    assert.equal(isAmbiguous({ ...base, kind: 'badResponse' }), true);
  });
});
