import { strict as assert } from 'node:assert';
import Anthropic from '@anthropic-ai/sdk';
import { MARKERS, startEmulator, type Emulator } from '../../emulator';

type CreateBody = Anthropic.Messages.Batches.BatchCreateParams;
type Line = Anthropic.Messages.Batches.MessageBatchIndividualResponse;

function simple(customId: string, content: unknown, extra: Record<string, unknown> = {}): { custom_id: string; params: unknown } {
  return { custom_id: customId, params: { model: 'claude-sonnet-4-5', max_tokens: 200, messages: [{ role: 'user', content }], ...extra } };
}

async function create(sdk: Anthropic, requests: { custom_id: string; params: unknown }[]): Promise<string> {
  return (await sdk.messages.batches.create({ requests } as unknown as CreateBody)).id;
}

async function lines(sdk: Anthropic, id: string): Promise<Line[]> {
  const out: Line[] = [];
  for await (const line of await sdk.messages.batches.results(id)) out.push(line);
  return out;
}

async function rawResults(emu: Emulator, id: string): Promise<Response> {
  return fetch(`${emu.url}/v1/messages/batches/${id}/results`, {
    headers: { authorization: `Bearer ${emu.apiKey}`, 'anthropic-version': '2026-10-21', accept: 'application/binary' },
  });
}

describe('emulator results', () => {
  let emu: Emulator;
  let sdk: Anthropic;

  before(async () => {
    emu = await startEmulator({ seed: 7 });
    sdk = new Anthropic({ apiKey: emu.apiKey, baseURL: emu.url, maxRetries: 0 });
  });
  after(async () => {
    await emu.close();
  });

  it('answers JSONL: one line per request, no blank lines, a trailing newline, application/x-jsonl', async () => {
    const requests = Array.from({ length: 1234 }, (_, i) => simple(`row-${i}`, `Row ${i}`));
    const id = await create(sdk, requests);
    const res = await rawResults(emu, id);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/x-jsonl');
    assert.match(res.headers.get('request-id') ?? '', /^req_/);
    const text = await res.text();
    assert.ok(text.endsWith('\n'));
    const rows = text.slice(0, -1).split('\n');
    assert.equal(rows.length, 1234);
    assert.ok(rows.every((row) => row.length > 0 && !row.includes('\r')));
    const ids = rows.map((row) => (JSON.parse(row) as Line).custom_id);
    assert.deepEqual([...ids].sort(), requests.map((r) => r.custom_id).sort());
  });

  it('comes in a deterministic shuffled order, never input order, every custom_id exactly once', async () => {
    const requests = Array.from({ length: 50 }, (_, i) => simple(`q-${String(i).padStart(2, '0')}`, `Prompt ${i}`));
    const id = await create(sdk, requests);
    const first = (await lines(sdk, id)).map((l) => l.custom_id);
    const second = (await lines(sdk, id)).map((l) => l.custom_id);
    const inputOrder = requests.map((r) => r.custom_id);
    assert.deepEqual(first, second);
    assert.notDeepEqual(first, inputOrder);
    assert.equal(new Set(first).size, 50);
    assert.deepEqual([...first].sort(), inputOrder);

    // Same seed, same calls: same order in another emulator.
    const twin = await startEmulator({ seed: 7 });
    try {
      emu.reset();
      const a = await create(sdk, requests);
      const twinSdk = new Anthropic({ apiKey: twin.apiKey, baseURL: twin.url, maxRetries: 0 });
      const b = await create(twinSdk, requests);
      assert.equal(a, b, 'same seed, same batch id');
      assert.deepEqual(
        (await lines(sdk, a)).map((l) => l.custom_id),
        (await lines(twinSdk, b)).map((l) => l.custom_id),
      );
    } finally {
      await twin.close();
    }
  });

  it('a two-request batch is not in input order either', async () => {
    const id = await create(sdk, [simple('first', 'a'), simple('second', 'b')]);
    assert.deepEqual(
      (await lines(sdk, id)).map((l) => l.custom_id),
      ['second', 'first'],
    );
  });

  it('a succeeded result is a full Message', async () => {
    const id = await create(sdk, [simple('hello', 'Write a haiku about the autumn sea, please.', { system: 'You are a poet.' })]);
    const [line] = await lines(sdk, id);
    assert.equal(line.custom_id, 'hello');
    assert.equal(line.result.type, 'succeeded');
    if (line.result.type !== 'succeeded') return;
    const message = line.result.message;
    assert.deepEqual(Object.keys(message).sort(), [
      'container',
      'content',
      'diagnostics',
      'id',
      'model',
      'role',
      'stop_details',
      'stop_reason',
      'stop_sequence',
      'type',
      'usage',
    ]);
    assert.match(message.id, /^msg_[A-Za-z0-9]+$/);
    assert.equal(message.type, 'message');
    assert.equal(message.role, 'assistant');
    assert.equal(message.model, 'claude-sonnet-4-5');
    assert.equal(message.stop_reason, 'end_turn');
    assert.equal(message.stop_sequence, null);
    assert.equal(message.content.length, 1);
    const block = message.content[0];
    assert.equal(block.type, 'text');
    assert.equal(block.type === 'text' && block.text, 'Emulated reply to: Write a haiku about the autumn sea, please.');
    const usage = message.usage;
    assert.equal(usage.service_tier, 'batch');
    assert.equal(usage.cache_creation_input_tokens, 0);
    assert.equal(usage.cache_read_input_tokens, 0);
    // "You are a poet." (15) + the prompt (43) = 58 characters ≈ 15 tokens.
    assert.equal(usage.input_tokens, 15);
    assert.ok(usage.output_tokens >= 1);
  });

  it('stops at max_tokens when the reply would be longer', async () => {
    const id = await create(sdk, [simple('short', 'Explain quantum computing in detail', { max_tokens: 3 })]);
    const [line] = await lines(sdk, id);
    assert.ok(line.result.type === 'succeeded');
    if (line.result.type !== 'succeeded') return;
    assert.equal(line.result.message.stop_reason, 'max_tokens');
    assert.equal(line.result.message.usage.output_tokens, 3);
    const block = line.result.message.content[0];
    assert.ok(block.type === 'text' && block.text.length <= 12);
  });

  it('each [[emulator:…]] marker forces its outcome', async () => {
    assert.deepEqual([...MARKERS], ['api_error', 'overloaded_error', 'invalid_request_error', 'expired', 'canceled']);
    const id = await create(sdk, [
      simple('ok', 'Plain prompt'),
      ...MARKERS.map((marker) => simple(`forced-${marker.replace(/_/g, '-')}`, `Please answer. [[emulator:${marker}]]`)),
    ]);
    const batch = await sdk.messages.batches.retrieve(id);
    assert.deepEqual(batch.request_counts, { processing: 0, succeeded: 1, errored: 3, canceled: 1, expired: 1 });
    const byId = new Map((await lines(sdk, id)).map((l) => [l.custom_id, l.result]));
    assert.equal(byId.get('ok')?.type, 'succeeded');
    assert.equal(byId.get('forced-canceled')?.type, 'canceled');
    assert.equal(byId.get('forced-expired')?.type, 'expired');
    for (const type of ['api_error', 'overloaded_error', 'invalid_request_error']) {
      const result = byId.get(`forced-${type.replace(/_/g, '-')}`);
      assert.ok(result?.type === 'errored', type);
      if (result?.type !== 'errored') return;
      assert.equal(result.error.type, 'error');
      assert.equal(result.error.error.type, type);
      assert.equal(typeof result.error.error.message, 'string');
      assert.match(result.error.request_id ?? '', /^req_/);
    }
  });

  it('[[emulator:echo]] replies with the first user message verbatim (to test how hostile replies render)', async () => {
    const hostile = 'before\r══ Succeeded · 999 ══\r\n▸ fake · x\u2028after [[emulator:echo]]';
    const id = await create(sdk, [simple('echo', hostile, { max_tokens: 1000 }), simple('plain', 'Plain prompt\rwith a break')]);
    const byId = new Map((await lines(sdk, id)).map((l) => [l.custom_id, l.result]));
    const text = (customId: string) => {
      const result = byId.get(customId);
      assert.ok(result?.type === 'succeeded');
      const block = result.message.content[0];
      assert.ok(block.type === 'text');
      return block.text;
    };
    assert.equal(text('echo'), hostile);
    assert.equal(text('plain'), 'Emulated reply to: Plain prompt with a break', 'without the marker, the reply is the usual one-line snippet');
  });

  it('[[emulator:blocks]] replies with one content block of every kind (thinking, tools, citations, server tool results)', async () => {
    const id = await create(sdk, [simple('blocks', 'Show me everything [[emulator:blocks]]'), simple('plain', 'Plain prompt')]);
    const byId = new Map((await lines(sdk, id)).map((l) => [l.custom_id, l.result]));
    const blocks = byId.get('blocks');
    assert.ok(blocks?.type === 'succeeded');
    assert.deepEqual(
      blocks.message.content.map((b) => b.type),
      ['thinking', 'redacted_thinking', 'text', 'tool_use', 'server_tool_use', 'web_search_tool_result', 'web_fetch_tool_result', 'code_execution_tool_result', 'bash_code_execution_tool_result'],
    );
    const text = blocks.message.content.find((b) => b.type === 'text');
    assert.ok(text?.type === 'text' && (text.citations?.length ?? 0) === 2);
    const plain = byId.get('plain');
    assert.ok(plain?.type === 'succeeded' && plain.message.content.length === 1, 'without the marker, one text block');
  });

  it('finds markers in content blocks, tool results and later messages', async () => {
    const id = await create(sdk, [
      simple('in-block', [
        { type: 'text', text: 'Intro' },
        { type: 'text', text: 'then [[emulator:overloaded_error]]' },
      ]),
      simple('in-tool-result', [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: '[[emulator:api_error]]' }] }]),
      {
        custom_id: 'in-later-message',
        params: {
          model: 'claude-haiku-4-5',
          max_tokens: 10,
          messages: [
            { role: 'user', content: 'Hi' },
            { role: 'assistant', content: 'Hello' },
            { role: 'user', content: 'ok [[emulator:canceled]]' },
          ],
        },
      },
    ]);
    const byId = new Map((await lines(sdk, id)).map((l) => [l.custom_id, l.result]));
    const inBlock = byId.get('in-block');
    assert.ok(inBlock?.type === 'errored' && inBlock.error.error.type === 'overloaded_error');
    const inTool = byId.get('in-tool-result');
    assert.ok(inTool?.type === 'errored' && inTool.error.error.type === 'api_error');
    assert.equal(byId.get('in-later-message')?.type, 'canceled');
  });

  it('accepts every kind of content block without crashing', async () => {
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    const id = await create(sdk, [
      simple('image', [
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
        { type: 'text', text: 'What is in this image?' },
      ]),
      simple('document', [
        { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Quarterly numbers' }, cache_control: { type: 'ephemeral' } },
        { type: 'text', text: 'Summarize the document.' },
      ]),
      {
        custom_id: 'tools',
        params: {
          model: 'claude-sonnet-4-5',
          max_tokens: 100,
          tools: [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: {} } }],
          messages: [
            { role: 'user', content: 'Weather in Paris?' },
            { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
            { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '18°C and sunny' }] },
          ],
        },
      },
      simple('only-image', [{ type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } }]),
      simple('odd-blocks', [null, 42, 'loose string', { type: 'thinking', thinking: 'hmm', signature: 'sig' }]),
    ]);
    const byId = new Map((await lines(sdk, id)).map((l) => [l.custom_id, l.result]));
    const text = (customId: string): string => {
      const result = byId.get(customId);
      assert.ok(result?.type === 'succeeded', `${customId}: ${JSON.stringify(result)}`);
      const block = result.type === 'succeeded' ? result.message.content[0] : undefined;
      return block?.type === 'text' ? block.text : '';
    };
    assert.equal(text('image'), 'Emulated reply to: What is in this image?');
    assert.equal(text('document'), 'Emulated reply to: Quarterly numbers Summarize the document.');
    assert.equal(text('tools'), 'Emulated reply to: Weather in Paris?');
    assert.equal(text('only-image'), 'Emulated reply to: (no text)');
    assert.match(text('odd-blocks'), /^Emulated reply to: /);
  });

  it('handles a batch of 100,000 requests and streams all of its results', async function () {
    this.timeout(20_000);
    const requests = Array.from({ length: 100_000 }, (_, i) => simple(`r${i}`, `Classify item ${i}`));
    const id = await create(sdk, requests);
    const res = await rawResults(emu, id);
    const reader = res.body!.getReader();
    let newlines = 0;
    let bytes = 0;
    let chunks = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks++;
      bytes += value.length;
      for (const byte of value) if (byte === 10) newlines++;
    }
    assert.equal(newlines, 100_000);
    assert.ok(chunks > 1, 'streamed in more than one chunk');
    assert.ok(bytes > 100_000 * 200);
    assert.deepEqual(emu.batch(id)?.request_counts, { processing: 0, succeeded: 100_000, errored: 0, canceled: 0, expired: 0 });
  });
});
