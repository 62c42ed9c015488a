import { strict as assert } from 'node:assert';
import { BatchesApi, createClient, describeError, type UserFacingError } from '../../../src/api';
import { startEmulator, type Emulator, type Fault } from '../../emulator';

/** Makes one retrieve fail as the fault says, and returns what the user would read. */
async function failWith(emulator: Emulator, fault: Omit<Fault, 'route'>, timeoutMs?: number): Promise<UserFacingError> {
  const api = new BatchesApi(createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, maxRetries: 0, timeoutMs }));
  const batch = emulator.createBatch([{ custom_id: 'a', params: { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] } }]);
  emulator.faults.add({ route: 'retrieve', ...fault });
  try {
    await api.retrieve(batch.id);
  } catch (err) {
    return describeError(err, { action: 'Refreshing the batch', baseUrl: emulator.url });
  }
  throw new Error('the call did not fail');
}

describe('describeError', () => {
  let emulator: Emulator;
  beforeEach(async () => {
    emulator = await startEmulator({ timing: 'manual' });
  });
  afterEach(async () => {
    await emulator.close();
  });

  it('401: the key was rejected, set another, with the request id', async () => {
    const api = new BatchesApi(createClient({ apiKey: 'sk-ant-wrong-key-123456', baseUrl: emulator.url, maxRetries: 0 }));
    const err = await api.listPage().catch((e: unknown) => e);
    const described = describeError(err);
    assert.equal(described.kind, 'auth');
    assert.equal(described.status, 401);
    assert.match(described.message, /API key was rejected/);
    assert.match(described.message, /Set API Key/);
    assert.match(described.message, /\(request id req_[A-Za-z0-9]+\)$/);
    assert.doesNotMatch(described.message, /sk-ant-wrong/);
  });

  it('404: the batch no longer exists', async () => {
    const api = new BatchesApi(createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, maxRetries: 0 }));
    const described = describeError(await api.retrieve('msgbatch_gone').catch((e: unknown) => e));
    assert.equal(described.kind, 'notFound');
    assert.match(described.message, /no longer exists/);
    assert.ok(described.requestId?.startsWith('req_'));
  });

  it('429: rate limited, with the wait the API asked for', async () => {
    const described = await failWith(emulator, { status: 429, retryAfter: 30 });
    assert.equal(described.kind, 'rateLimited');
    assert.equal(described.retryable, true);
    assert.equal(described.retryAfterSeconds, 30);
    assert.match(described.message, /^Refreshing the batch failed: Rate limited/);
    assert.match(described.message, /wait 30 s/);
  });

  it('429 with an absurd retry-after: the wait named is the hour we will wait at most', async () => {
    const huge = await failWith(emulator, { status: 429, headers: { 'retry-after': '1000000000000' } });
    assert.equal(huge.retryAfterSeconds, 3600);
    assert.match(huge.message, /wait 60 min/);
    const garbage = await failWith(emulator, { status: 429, headers: { 'retry-after': '-5', 'retry-after-ms': 'NaN' } });
    assert.equal(garbage.retryAfterSeconds, undefined);
    assert.doesNotMatch(garbage.message, /wait/);
  });

  it('500: service trouble, try again later', async () => {
    const described = await failWith(emulator, { status: 500 });
    assert.equal(described.kind, 'server');
    assert.equal(described.retryable, true);
    assert.match(described.message, /internal error \(HTTP 500\)/);
    assert.ok(described.requestId);
  });

  it('529: overloaded', async () => {
    const described = await failWith(emulator, { status: 529 });
    assert.equal(described.kind, 'overloaded');
    assert.match(described.message, /overloaded/);
  });

  it('400: the API message is passed on', async () => {
    const api = new BatchesApi(createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, maxRetries: 0 }));
    const described = describeError(await api.create([]).catch((e: unknown) => e));
    assert.equal(described.kind, 'badRequest');
    assert.match(described.message, /The API said: /);
  });

  it('413: too large, split the file', async () => {
    const described = await failWith(emulator, { status: 413 });
    assert.equal(described.kind, 'tooLarge');
    assert.match(described.message, /100,000 requests or 256 MB/);
  });

  it('a dropped connection: cannot reach the API at its host', async () => {
    const described = await failWith(emulator, { drop: 'before-commit' });
    assert.equal(described.kind, 'connection');
    assert.match(described.message, new RegExp(`Cannot reach the Anthropic API at ${new URL(emulator.url).host.replace('.', '\\.')}`));
  });

  it('nothing listening: cannot reach the API, naming the host', async () => {
    const url = emulator.url;
    await emulator.close();
    const api = new BatchesApi(createClient({ apiKey: 'sk-ant-x-12345678', baseUrl: url, maxRetries: 0 }));
    const described = describeError(await api.listPage().catch((e: unknown) => e), { baseUrl: url });
    assert.equal(described.kind, 'connection');
    assert.match(described.message, /ECONNREFUSED/);
    emulator = await startEmulator(); // for afterEach
  });

  it('a timeout: did not answer in time', async () => {
    const described = await failWith(emulator, { delayMs: 1_000 }, 100);
    assert.equal(described.kind, 'timeout');
    assert.match(described.message, /did not answer in time/);
  });
});
