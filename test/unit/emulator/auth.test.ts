import { strict as assert } from 'node:assert';
import Anthropic from '@anthropic-ai/sdk';
import { startEmulator, type Emulator } from '../../emulator';

const KEY = 'sk-ant-test-key-0123456789';

function raw(emu: Emulator, path: string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${emu.url}${path}`, { headers });
}

describe('emulator auth and headers', () => {
  let emu: Emulator;
  const logLines: string[] = [];

  beforeEach(async () => {
    logLines.length = 0;
    emu = await startEmulator({ apiKey: KEY, log: (line) => logLines.push(line) });
  });
  afterEach(async () => {
    await emu.close();
  });

  it('accepts x-api-key with anthropic-version 2023-06-01 (the SDK 0.x style)', async () => {
    const res = await raw(emu, '/v1/messages/batches', { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { data: [], has_more: false, first_id: null, last_id: null });
  });

  it('accepts Authorization: Bearer, as the SDK 1.x sends it', async () => {
    const sdk = new Anthropic({ apiKey: KEY, baseURL: emu.url, maxRetries: 0 });
    const page = await sdk.messages.batches.list();
    assert.deepEqual(page.data, []);
    // It really was a Bearer request (the log drops the header, so look at what is left).
    assert.equal(emu.requests.length, 1);
    assert.equal(emu.requests[0].status, 200);
    assert.equal(emu.requests[0].headers['anthropic-version'], '2026-10-21');
  });

  it('rejects a wrong key with 401 authentication_error and a request id', async () => {
    const sdk = new Anthropic({ apiKey: 'sk-ant-wrong', baseURL: emu.url, maxRetries: 0 });
    await assert.rejects(sdk.messages.batches.list(), (err: unknown) => {
      assert.ok(err instanceof Anthropic.AuthenticationError, String(err));
      assert.equal(err.status, 401);
      assert.equal(err.type, 'authentication_error');
      assert.match(err.requestID ?? '', /^req_/);
      return true;
    });
  });

  it('rejects a missing key, a wrong x-api-key and a non-Bearer scheme', async () => {
    const cases: Record<string, string>[] = [
      {},
      { 'x-api-key': 'sk-ant-wrong' },
      { 'x-api-key': `${KEY}x` },
      { authorization: `Basic ${KEY}` },
      { authorization: `Bearer ${KEY.slice(0, -1)}` },
    ];
    for (const headers of cases) {
      const res = await raw(emu, '/v1/messages/batches', { ...headers, 'anthropic-version': '2023-06-01' });
      assert.equal(res.status, 401, JSON.stringify(headers));
      const envelope = await res.json();
      assert.equal(envelope.type, 'error');
      assert.equal(envelope.error.type, 'authentication_error');
      assert.equal(envelope.request_id, res.headers.get('request-id'));
      assert.ok(!JSON.stringify(envelope).includes(KEY));
    }
  });

  it('requires anthropic-version (400 invalid_request_error)', async () => {
    const res = await raw(emu, '/v1/messages/batches', { 'x-api-key': KEY });
    assert.equal(res.status, 400);
    const envelope = await res.json();
    assert.equal(envelope.error.type, 'invalid_request_error');
    assert.match(envelope.error.message, /anthropic-version/);
  });

  it('never records or logs the key', async () => {
    const good = new Anthropic({ apiKey: KEY, baseURL: emu.url, maxRetries: 0 });
    const bad = new Anthropic({ apiKey: 'sk-ant-wrong', baseURL: emu.url, maxRetries: 0 });
    await good.messages.batches.create({
      requests: [{ custom_id: 'a', params: { model: 'claude-haiku-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] } }],
    });
    await bad.messages.batches.list().catch(() => undefined);
    await raw(emu, `/v1/messages/batches?note=${KEY}`, { 'x-api-key': KEY, 'anthropic-version': '2023-06-01', 'x-echo': `key=${KEY}` });
    assert.equal(emu.requests.length, 3);
    for (const entry of emu.requests) {
      assert.equal(entry.headers.authorization, undefined);
      assert.equal(entry.headers['x-api-key'], undefined);
    }
    assert.equal(emu.requests[2].headers['x-echo'], 'key=[redacted]');
    assert.equal(emu.requests[2].query.note, '[redacted]');
    assert.ok(!JSON.stringify(emu.requests).includes(KEY));
    assert.ok(!JSON.stringify(emu.requests).includes('sk-ant-wrong'));
    assert.equal(logLines.length, 3);
    for (const line of logLines) assert.ok(!line.includes(KEY), line);
    assert.match(logLines[0], /^POST \/v1\/messages\/batches 200 req_\w+$/);
  });
});
