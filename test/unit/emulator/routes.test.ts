import { strict as assert } from 'node:assert';
import Anthropic from '@anthropic-ai/sdk';
import { startEmulator, type Emulator } from '../../emulator';

type CreateBody = Anthropic.Messages.Batches.BatchCreateParams;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const T0 = Date.UTC(2026, 0, 15, 9, 30, 0);

function client(emu: Emulator, maxRetries = 0): Anthropic {
  return new Anthropic({ apiKey: emu.apiKey, baseURL: emu.url, maxRetries });
}

function body(...customIds: string[]): CreateBody {
  return {
    requests: customIds.map((id) => ({
      custom_id: id,
      params: { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: `Say hi to ${id}` }] },
    })),
  } as CreateBody;
}

function raw(emu: Emulator, method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}): Promise<Response> {
  return fetch(`${emu.url}${path}`, {
    method,
    headers: { 'x-api-key': emu.apiKey, 'anthropic-version': '2023-06-01', ...init.headers },
    body: init.body,
  });
}

describe('emulator routes', () => {
  let emu: Emulator;
  let sdk: Anthropic;

  beforeEach(async () => {
    emu = await startEmulator({ now: () => T0 });
    sdk = client(emu);
  });
  afterEach(async () => {
    await emu.close();
  });

  it('listens on 127.0.0.1 with a free port and the default key', () => {
    assert.match(emu.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(emu.url, 'http://127.0.0.1:0');
    assert.equal(emu.apiKey, 'sk-ant-emulator');
  });

  it('create answers a MessageBatch with all ten fields, in_progress, every request processing', async () => {
    const batch = await sdk.messages.batches.create(body('a', 'b', 'c'));
    assert.deepEqual(Object.keys(batch).filter((k) => k !== '_request_id').sort(), [
      'archived_at',
      'cancel_initiated_at',
      'created_at',
      'ended_at',
      'expires_at',
      'id',
      'processing_status',
      'request_counts',
      'results_url',
      'type',
    ]);
    assert.match(batch.id, /^msgbatch_[A-Za-z0-9]+$/);
    assert.equal(batch.type, 'message_batch');
    assert.equal(batch.processing_status, 'in_progress');
    assert.deepEqual(batch.request_counts, { processing: 3, succeeded: 0, errored: 0, canceled: 0, expired: 0 });
    assert.equal(batch.created_at, new Date(T0).toISOString());
    assert.match(batch.created_at, RFC3339);
    assert.equal(Date.parse(batch.expires_at) - Date.parse(batch.created_at), 24 * 3600 * 1000);
    assert.equal(batch.ended_at, null);
    assert.equal(batch.cancel_initiated_at, null);
    assert.equal(batch.archived_at, null);
    assert.equal(batch.results_url, null);
    assert.deepEqual(emu.batchIds(), [batch.id]);
  });

  it('retrieve after an instant create says ended, with real counts and an absolute results_url', async () => {
    const created = await sdk.messages.batches.create(body('a', 'b'));
    const batch = await sdk.messages.batches.retrieve(created.id);
    assert.equal(batch.processing_status, 'ended');
    assert.deepEqual(batch.request_counts, { processing: 0, succeeded: 2, errored: 0, canceled: 0, expired: 0 });
    assert.match(batch.ended_at ?? '', RFC3339);
    assert.equal(batch.results_url, `${emu.url}/v1/messages/batches/${created.id}/results`);
    assert.deepEqual(emu.batch(created.id), JSON.parse(JSON.stringify({ ...batch, _request_id: undefined })));
  });

  it('list, cancel, delete and results each answer their documented shapes', async () => {
    const ended = await sdk.messages.batches.create(body('x'));
    const manual = emu.createBatch(body('m1', 'm2').requests, { timing: 'manual' });

    const page = await sdk.messages.batches.list();
    assert.deepEqual(
      page.data.map((b) => b.id),
      [manual.id, ended.id],
    );
    assert.equal(page.has_more, false);

    const canceling = await sdk.messages.batches.cancel(manual.id);
    assert.equal(canceling.processing_status, 'canceling');
    assert.equal(canceling.cancel_initiated_at, new Date(T0).toISOString());

    const lines = [];
    for await (const line of await sdk.messages.batches.results(ended.id)) lines.push(line);
    assert.equal(lines.length, 1);
    assert.equal(lines[0].custom_id, 'x');
    assert.equal(lines[0].result.type, 'succeeded');

    const deleted = await sdk.messages.batches.delete(ended.id);
    assert.deepEqual({ id: deleted.id, type: deleted.type }, { id: ended.id, type: 'message_batch_deleted' });
    await assert.rejects(sdk.messages.batches.retrieve(ended.id), Anthropic.NotFoundError);
    assert.deepEqual(emu.batchIds(), [manual.id]);
  });

  it('every answer, errors too, carries request-id and JSON content-type; withResponse exposes it', async () => {
    const created = await sdk.messages.batches.create(body('a'));
    const { data, response, request_id } = await sdk.messages.batches.retrieve(created.id).withResponse();
    assert.equal(data.id, created.id);
    assert.match(request_id ?? '', /^req_[A-Za-z0-9]+$/);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);

    const missing = await raw(emu, 'GET', '/v1/messages/batches/msgbatch_nope');
    assert.equal(missing.status, 404);
    assert.match(missing.headers.get('content-type') ?? '', /^application\/json/);
    const requestId = missing.headers.get('request-id');
    assert.match(requestId ?? '', /^req_/);
    const envelope = await missing.json();
    assert.deepEqual(Object.keys(envelope).sort(), ['error', 'request_id', 'type']);
    assert.equal(envelope.type, 'error');
    assert.equal(envelope.error.type, 'not_found_error');
    assert.equal(typeof envelope.error.message, 'string');
    assert.equal(envelope.request_id, requestId);
    // Each request gets its own id, and the log records it.
    assert.equal(new Set(emu.requests.map((r) => r.requestId)).size, emu.requests.length);
    assert.equal(emu.requests.at(-1)?.requestId, requestId);
  });

  it('unknown routes and methods answer 404 not_found_error', async () => {
    for (const [method, path] of [
      ['GET', '/v1/nope'],
      ['PUT', '/v1/messages/batches'],
      ['POST', '/v1/messages/batches/msgbatch_x'],
      ['GET', '/v1/messages/batches/msgbatch_x/cancel'],
      ['GET', '/v1/messages/batches/msgbatch_x/results/extra'],
    ]) {
      const res = await raw(emu, method, path);
      assert.equal(res.status, 404, `${method} ${path}`);
      const envelope = await res.json();
      assert.equal(envelope.error.type, 'not_found_error');
      assert.match(res.headers.get('request-id') ?? '', /^req_/);
    }
    assert.ok(emu.requests.every((r) => r.route === 'unknown'));
  });

  it('the request log records method, path, route, status and query', async () => {
    const created = await sdk.messages.batches.create(body('a'));
    await sdk.messages.batches.list({ limit: 5 });
    await sdk.messages.batches.retrieve(created.id);
    assert.deepEqual(
      emu.requests.map((r) => [r.method, r.path, r.route, r.status]),
      [
        ['POST', '/v1/messages/batches', 'create', 200],
        ['GET', '/v1/messages/batches', 'list', 200],
        ['GET', `/v1/messages/batches/${created.id}`, 'retrieve', 200],
      ],
    );
    assert.deepEqual(emu.requests[1].query, { limit: '5' });
    assert.equal(emu.requests[0].time, T0);
    assert.equal(emu.requests[0].headers['anthropic-version'], '2026-10-21');
  });

  it('reset drops batches, faults and the request log', async () => {
    await sdk.messages.batches.create(body('a'));
    emu.faults.add({ route: 'list', status: 500 });
    emu.reset();
    assert.deepEqual(emu.batchIds(), []);
    assert.deepEqual(emu.requests, []);
    const page = await sdk.messages.batches.list();
    assert.deepEqual(page.data, []);
  });
});
