import { strict as assert } from 'node:assert';
import Anthropic from '@anthropic-ai/sdk';
import { startEmulator, type Emulator } from '../../emulator';

type CreateBody = Anthropic.Messages.Batches.BatchCreateParams;

function body(n: number): CreateBody {
  return {
    requests: Array.from({ length: n }, (_, i) => ({
      custom_id: `job-${i}`,
      params: { model: 'claude-haiku-4-5', max_tokens: 20, messages: [{ role: 'user' as const, content: `Task ${i}` }] },
    })),
  };
}

describe('emulator faults', () => {
  let emu: Emulator;

  function sdk(maxRetries = 0): Anthropic {
    return new Anthropic({ apiKey: emu.apiKey, baseURL: emu.url, maxRetries });
  }

  before(async () => {
    emu = await startEmulator();
  });
  after(async () => {
    await emu.close();
  });
  beforeEach(() => emu.reset());

  it('429 with retry-after: the SDK waits as told and retries; the log shows both attempts', async () => {
    const { id } = await sdk().messages.batches.create(body(1));
    emu.faults.add({ route: 'retrieve', status: 429, retryAfter: 0.05 });
    const started = Date.now();
    const batch = await sdk(2).messages.batches.retrieve(id);
    const elapsed = Date.now() - started;
    assert.equal(batch.id, id);
    const attempts = emu.requests.filter((r) => r.route === 'retrieve');
    assert.deepEqual(
      attempts.map((r) => r.status),
      [429, 200],
    );
    assert.deepEqual(
      attempts.map((r) => r.headers['x-stainless-retry-count']),
      ['0', '1'],
    );
    // The SDK's own backoff would wait at least 375 ms; 50 ms means it obeyed the header.
    assert.ok(elapsed >= 45 && elapsed < 350, `elapsed ${elapsed} ms`);
    assert.deepEqual(emu.faults.pending(), []);
  });

  it('sends retry-after, retry-after-ms and the documented envelope', async () => {
    emu.faults.add({ route: 'list', status: 429, retryAfter: 2 });
    const res = await fetch(`${emu.url}/v1/messages/batches`, { headers: { 'x-api-key': emu.apiKey, 'anthropic-version': '2023-06-01' } });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '2');
    assert.equal(res.headers.get('retry-after-ms'), '2000');
    const envelope = await res.json();
    assert.equal(envelope.type, 'error');
    assert.equal(envelope.error.type, 'rate_limit_error');
    assert.equal(envelope.request_id, res.headers.get('request-id'));
  });

  it('maps statuses to the SDK error classes and error types', async () => {
    const cases: [number, new (...args: never[]) => Error, string][] = [
      [500, Anthropic.InternalServerError, 'api_error'],
      [529, Anthropic.OverloadedError, 'overloaded_error'],
      [429, Anthropic.RateLimitError, 'rate_limit_error'],
      [401, Anthropic.AuthenticationError, 'authentication_error'],
      [403, Anthropic.PermissionDeniedError, 'permission_error'],
      [404, Anthropic.NotFoundError, 'not_found_error'],
      [413, Anthropic.ContentTooLargeError, 'request_too_large'],
    ];
    for (const [status, cls, type] of cases) {
      emu.faults.add({ route: 'list', status });
      await assert.rejects(sdk().messages.batches.list(), (err: unknown) => {
        assert.ok(err instanceof cls, `${status}: ${String(err)}`);
        assert.ok(err instanceof Anthropic.APIError);
        assert.equal(err.status, status);
        assert.equal(err.type, type);
        assert.match(err.requestID ?? '', /^req_/);
        return true;
      });
    }
  });

  it('applies `times` times to its own route only, in the order added', async () => {
    emu.faults.add({ route: 'retrieve', status: 500, times: 2 });
    emu.faults.add({ route: 'retrieve', status: 404 });
    const { id } = await sdk().messages.batches.create(body(1));
    await assert.rejects(sdk().messages.batches.retrieve(id), Anthropic.InternalServerError);
    await assert.rejects(sdk().messages.batches.retrieve(id), Anthropic.InternalServerError);
    await assert.rejects(sdk().messages.batches.retrieve(id), Anthropic.NotFoundError);
    assert.equal((await sdk().messages.batches.retrieve(id)).id, id);
    emu.faults.add({ route: 'cancel', status: 500 });
    emu.faults.clear();
    assert.deepEqual(emu.faults.pending(), []);
    assert.throws(() => emu.faults.add({ route: 'retrieve', cutAfterLines: 2 }), /results/);
    assert.throws(() => emu.faults.add({ route: 'nope' as 'list' }), /route/);
  });

  it('x-should-retry: false stops the SDK from retrying a 503', async () => {
    emu.faults.add({ route: 'list', status: 503, shouldRetry: false });
    await assert.rejects(sdk(2).messages.batches.list(), Anthropic.InternalServerError);
    assert.equal(emu.requests.filter((r) => r.route === 'list').length, 1);
  });

  it('delays an answer by delayMs', async () => {
    emu.faults.add({ route: 'list', delayMs: 150 });
    const started = Date.now();
    await sdk().messages.batches.list();
    assert.ok(Date.now() - started >= 140);
    const quick = Date.now();
    await sdk().messages.batches.list();
    assert.ok(Date.now() - quick < 140);
  });

  it('drop before-commit: the socket dies and no batch is created', async () => {
    emu.faults.add({ route: 'create', drop: 'before-commit' });
    await assert.rejects(sdk().messages.batches.create(body(2)), Anthropic.APIConnectionError);
    assert.deepEqual(emu.batchIds(), []);
    assert.equal(emu.requests[0].dropped, 'before-commit');
    assert.equal(emu.requests[0].status, 0);
  });

  it('drop after-commit: the batch exists although the client saw a connection error', async () => {
    emu.faults.add({ route: 'create', drop: 'after-commit' });
    await assert.rejects(sdk().messages.batches.create(body(2)), Anthropic.APIConnectionError);
    assert.equal(emu.batchIds().length, 1);
    assert.equal(emu.requests.length, 1);
    assert.equal(emu.requests[0].dropped, 'after-commit');
  });

  it('drop after-commit with SDK retries on creates a second batch (why create must not be retried)', async () => {
    emu.faults.add({ route: 'create', drop: 'after-commit' });
    await sdk(1).messages.batches.create(body(2));
    assert.equal(emu.batchIds().length, 2);
    assert.equal(emu.requests.filter((r) => r.route === 'create').length, 2);
  });

  it('cutAfterLines: the results stream breaks after that many lines', async () => {
    const { id } = await sdk().messages.batches.create(body(10));
    emu.faults.add({ route: 'results', cutAfterLines: 3 });
    const decoder = await sdk().messages.batches.results(id);
    const seen: string[] = [];
    await assert.rejects(async () => {
      for await (const line of decoder) seen.push(line.custom_id);
    });
    assert.equal(seen.length, 3);
    const entry = emu.requests.filter((r) => r.route === 'results')[0];
    assert.equal(entry.dropped, 'cut');
    // The next download is whole.
    const all: string[] = [];
    for await (const line of await sdk().messages.batches.results(id)) all.push(line.custom_id);
    assert.equal(all.length, 10);
    assert.deepEqual(all.slice(0, 3), seen);
  });

  it('cutAfterLines beyond a write group still delivers exactly that many lines', async () => {
    const { id } = await sdk().messages.batches.create(body(1200));
    emu.faults.add({ route: 'results', cutAfterLines: 1001 });
    let count = 0;
    await assert.rejects(async () => {
      for await (const _line of await sdk().messages.batches.results(id)) count++;
    });
    assert.equal(count, 1001);
  });
});
