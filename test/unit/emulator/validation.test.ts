import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import { startEmulator, type Emulator } from '../../emulator';

type CreateBody = Anthropic.Messages.Batches.BatchCreateParams;
type Line = Anthropic.Messages.Batches.MessageBatchIndividualResponse;

function item(customId: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    custom_id: customId,
    params: { model: 'claude-haiku-4-5', max_tokens: 32, messages: [{ role: 'user', content: 'Hello' }] },
    ...extra,
  };
}

function items(n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => item(`req-${i}`));
}

/** Expects the create call to fail with 400 invalid_request_error and returns its message. */
async function createFails(sdk: Anthropic, requests: unknown): Promise<string> {
  let message = '';
  await assert.rejects(sdk.messages.batches.create({ requests } as unknown as CreateBody), (err: unknown) => {
    assert.ok(err instanceof Anthropic.BadRequestError, String(err));
    assert.equal(err.status, 400);
    assert.equal(err.type, 'invalid_request_error');
    message = err.apiMessage ?? '';
    return true;
  });
  return message;
}

interface CreateAnswer {
  id: string;
  type: string;
  error: { type: string; message: string };
}

async function rawCreate(emu: Emulator, body: string, version = '2026-10-21'): Promise<{ status: number; body: CreateAnswer }> {
  const res = await fetch(`${emu.url}/v1/messages/batches`, {
    method: 'POST',
    headers: { 'x-api-key': emu.apiKey, 'anthropic-version': version, 'content-type': 'application/json' },
    body,
  });
  return { status: res.status, body: (await res.json()) as CreateAnswer };
}

async function results(sdk: Anthropic, id: string): Promise<Map<string, Line>> {
  const out = new Map<string, Line>();
  for await (const line of await sdk.messages.batches.results(id)) out.set(line.custom_id, line);
  return out;
}

describe('emulator create validation', () => {
  let emu: Emulator;
  let sdk: Anthropic;

  before(async () => {
    emu = await startEmulator();
    sdk = new Anthropic({ apiKey: emu.apiKey, baseURL: emu.url, maxRetries: 0 });
  });
  after(async () => {
    await emu.close();
  });
  beforeEach(() => emu.reset());

  it('names the offending index for a custom_id that breaks the pattern', async () => {
    const bad = items(5);
    bad[3] = item('has space');
    assert.match(await createFails(sdk, bad), /^requests\.3\.custom_id: .*\^\[a-zA-Z0-9_-\]\{1,64\}\$/);
    bad[3] = item('x'.repeat(65));
    assert.match(await createFails(sdk, bad), /^requests\.3\.custom_id: /);
    bad[3] = item('');
    assert.match(await createFails(sdk, bad), /^requests\.3\.custom_id: /);
    bad[3] = item('émoji');
    assert.match(await createFails(sdk, bad), /^requests\.3\.custom_id: /);
    assert.deepEqual(emu.batchIds(), []);
  });

  it('accepts a 64-character custom_id of letters, digits, _ and -', async () => {
    const id = `${'aZ09_-'.repeat(10)}abcd`;
    assert.equal(id.length, 64);
    const batch = await sdk.messages.batches.create({ requests: [item(id)] } as unknown as CreateBody);
    assert.equal(batch.request_counts.processing, 1);
  });

  it('rejects a missing or non-string custom_id and missing or non-object params', async () => {
    const bad: unknown[] = items(3);
    bad[1] = { params: (bad[1] as { params: unknown }).params };
    assert.equal(await createFails(sdk, bad), 'requests.1.custom_id: Field required');
    bad[1] = item(42);
    assert.match(await createFails(sdk, bad), /^requests\.1\.custom_id: Input should be a valid string/);
    bad[1] = { custom_id: 'ok' };
    assert.equal(await createFails(sdk, bad), 'requests.1.params: Field required');
    bad[1] = { custom_id: 'ok', params: 'Say hello' };
    assert.match(await createFails(sdk, bad), /^requests\.1\.params: /);
    bad[1] = { custom_id: 'ok', params: [] };
    assert.match(await createFails(sdk, bad), /^requests\.1\.params: /);
    bad[1] = 'not an object';
    assert.match(await createFails(sdk, bad), /^requests\.1: /);
  });

  it('rejects a duplicate custom_id, naming both indices', async () => {
    const bad = items(6);
    bad[4] = item('req-1');
    const message = await createFails(sdk, bad);
    assert.match(message, /^requests\.4\.custom_id: /);
    assert.match(message, /requests\.1\b/);
    assert.match(message, /req-1/);
  });

  it('rejects unknown keys on an item and on the body', async () => {
    const bad = items(3);
    bad[2] = item('req-2', { metadata: { team: 'growth' } });
    assert.equal(await createFails(sdk, bad), 'requests.2.metadata: Extra inputs are not permitted');

    const { status, body } = await rawCreate(emu, JSON.stringify({ requests: items(1), priority: 'high' }));
    assert.equal(status, 400);
    assert.equal(body.error.type, 'invalid_request_error');
    assert.equal(body.error.message, 'priority: Extra inputs are not permitted');
  });

  it('rejects a body that is not a JSON object with requests', async () => {
    for (const text of ['{not json', '[]', '"requests"', '{}', '{"requests": {}}']) {
      const { status, body } = await rawCreate(emu, text);
      assert.equal(status, 400, text);
      assert.equal(body.type, 'error');
      assert.equal(body.error.type, 'invalid_request_error');
    }
    assert.equal((await rawCreate(emu, '{}')).body.error.message, 'requests: Field required');
  });

  it('rejects 0 requests and 100,001 requests', async () => {
    assert.match(await createFails(sdk, []), /^requests: .*at least 1/);
    const tooMany = Array.from({ length: 100_001 }, (_, i) => ({ custom_id: `r${i}`, params: { model: 'm', max_tokens: 1, messages: [] } }));
    assert.match(await createFails(sdk, tooMany), /^requests: .*at most 100000.*100001/);
    assert.deepEqual(emu.batchIds(), []);
  });

  it('turns problems inside params into errored results with the whole error envelope', async () => {
    const base = { model: 'claude-haiku-4-5', max_tokens: 32, messages: [{ role: 'user', content: 'Hello' }] };
    const cases: Record<string, [Record<string, unknown>, RegExp]> = {
      'no-model': [{ max_tokens: 32, messages: base.messages }, /^model: /],
      'no-max-tokens': [{ model: base.model, messages: base.messages }, /^max_tokens: /],
      'zero-max-tokens': [{ ...base, max_tokens: 0 }, /^max_tokens: /],
      'negative-max-tokens': [{ ...base, max_tokens: -5 }, /^max_tokens: /],
      'no-messages': [{ model: base.model, max_tokens: 32 }, /^messages: /],
      'empty-messages': [{ ...base, messages: [] }, /^messages: /],
      streaming: [{ ...base, stream: true }, /^stream: /],
      temperature: [{ ...base, temperature: 0.2 }, /^temperature: /],
      'top-p': [{ ...base, top_p: 0.9 }, /^top_p: /],
      'top-k': [{ ...base, top_k: 40 }, /^top_k: /],
    };
    const requests = [
      { custom_id: 'fine', params: base },
      ...Object.entries(cases).map(([id, [params]]) => ({ custom_id: id, params })),
    ];
    const created = await sdk.messages.batches.create({ requests } as unknown as CreateBody);
    assert.equal(created.processing_status, 'in_progress');
    const batch = await sdk.messages.batches.retrieve(created.id);
    assert.deepEqual(batch.request_counts, { processing: 0, succeeded: 1, errored: 10, canceled: 0, expired: 0 });

    const lines = await results(sdk, created.id);
    assert.equal(lines.get('fine')?.result.type, 'succeeded');
    for (const [id, [, pattern]] of Object.entries(cases)) {
      const result = lines.get(id)?.result;
      assert.ok(result && result.type === 'errored', id);
      assert.equal(result.error.type, 'error');
      assert.equal(result.error.error.type, 'invalid_request_error', id);
      assert.match(result.error.error.message, pattern, id);
      assert.match(result.error.request_id ?? '', /^req_/);
    }
  });

  it('rejects sampling parameters only from API version 2026-10-21 on', async () => {
    const requests = [{ custom_id: 'warm', params: { model: 'claude-haiku-4-5', max_tokens: 32, temperature: 0.7, messages: [{ role: 'user', content: 'Hi' }] } }];
    const old = await rawCreate(emu, JSON.stringify({ requests }), '2023-06-01');
    assert.equal(old.status, 200);
    const current = await rawCreate(emu, JSON.stringify({ requests }), '2026-10-21');
    assert.equal(current.status, 200);
    assert.equal((await results(sdk, old.body.id)).get('warm')?.result.type, 'succeeded');
    assert.equal((await results(sdk, current.body.id)).get('warm')?.result.type, 'errored');
  });

  it('createBatch (no HTTP) applies the same structural checks', () => {
    assert.throws(() => emu.createBatch([]), /at least 1/);
    assert.throws(
      () =>
        emu.createBatch([
          { custom_id: 'a', params: {} },
          { custom_id: 'a', params: {} },
        ]),
      /requests\.1\.custom_id: Duplicate/,
    );
  });
});

describe('emulator body size limit', () => {
  let emu: Emulator;
  let sdk: Anthropic;
  const LIMIT = 4096;

  before(async () => {
    emu = await startEmulator({ maxBodyBytes: LIMIT });
    sdk = new Anthropic({ apiKey: emu.apiKey, baseURL: emu.url, maxRetries: 0 });
  });
  after(async () => {
    await emu.close();
  });

  function bodyOfSize(bytes: number): CreateBody {
    const prompt = 'x'.repeat(bytes - 130);
    const body = { requests: [{ custom_id: 'big', params: { model: 'claude-haiku-4-5', max_tokens: 8, messages: [{ role: 'user', content: prompt }] } }] };
    return body as CreateBody;
  }

  it('accepts a body just under the limit', async () => {
    const body = bodyOfSize(LIMIT - 100);
    assert.ok(JSON.stringify(body).length <= LIMIT);
    const batch = await sdk.messages.batches.create(body);
    assert.equal(batch.request_counts.processing, 1);
  });

  it('answers 413 request_too_large for a body over the limit (content-length)', async () => {
    const before = emu.batchIds().length;
    await assert.rejects(sdk.messages.batches.create(bodyOfSize(LIMIT + 500)), (err: unknown) => {
      assert.ok(err instanceof Anthropic.ContentTooLargeError, String(err));
      assert.equal(err.status, 413);
      assert.equal(err.type, 'request_too_large');
      assert.match(err.requestID ?? '', /^req_/);
      return true;
    });
    assert.equal(emu.batchIds().length, before);
    // The connection stays usable.
    assert.ok((await sdk.messages.batches.list()).data.length >= 1);
  });

  it('answers 413 from content-length alone, before the body arrives', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer before the body was sent')), 2000);
      const req = http.request(`${emu.url}/v1/messages/batches`, {
        method: 'POST',
        headers: { 'x-api-key': emu.apiKey, 'anthropic-version': '2026-10-21', 'content-length': String(LIMIT * 100) },
      });
      req.on('response', (res) => {
        clearTimeout(timer);
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', () => undefined); // destroyed once answered
      req.write('{"requests":['); // and never the rest
    });
    assert.equal(status, 413);
  });

  it('counts bytes of a chunked body without content-length and answers 413', async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${emu.url}/v1/messages/batches`, {
        method: 'POST',
        headers: { 'x-api-key': emu.apiKey, 'anthropic-version': '2026-10-21', 'content-type': 'application/json' },
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.write('{"requests":[');
      for (let i = 0; i < 8; i++) req.write(`${JSON.stringify({ custom_id: `c${i}`, params: { model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'y'.repeat(900) }] } })},`);
      req.end('{"custom_id":"last","params":{}}]}');
    });
    assert.equal(status, 413);
    const envelope = JSON.parse(body);
    assert.equal(envelope.error.type, 'request_too_large');
    const entry = emu.requests.at(-1);
    assert.equal(entry?.headers['transfer-encoding'], 'chunked');
    assert.equal(entry?.status, 413);
  });
});
