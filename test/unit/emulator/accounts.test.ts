import { strict as assert } from 'node:assert';
import Anthropic from '@anthropic-ai/sdk';
import { startEmulator, type Emulator } from '../../emulator';

const T0 = Date.UTC(2026, 0, 15, 9, 30, 0);
const WORK = 'sk-ant-emulator-work-0000';
const PERSONAL = 'sk-ant-emulator-personal-0000';

function request(id: string) {
  return { custom_id: id, params: { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user' as const, content: `Say hi to ${id}` }] } };
}

describe('emulator: several keys, each an account with its own batches', () => {
  let emu: Emulator;
  const sdk = (apiKey: string) => new Anthropic({ apiKey, baseURL: emu.url, maxRetries: 0 });

  beforeEach(async () => {
    emu = await startEmulator({ apiKey: WORK, otherApiKeys: [PERSONAL], now: () => T0, timing: 'manual' });
  });
  afterEach(async () => {
    await emu.close();
  });

  it('each key lists only the batches created with it, and cannot see or touch the others', async () => {
    const work = await sdk(WORK).messages.batches.create({ requests: [request('w1')] });
    const personal = await sdk(PERSONAL).messages.batches.create({ requests: [request('p1')] });
    assert.notEqual(work.id, personal.id);
    assert.deepEqual((await sdk(WORK).messages.batches.list()).data.map((b) => b.id), [work.id]);
    assert.deepEqual((await sdk(PERSONAL).messages.batches.list()).data.map((b) => b.id), [personal.id]);
    await assert.rejects(sdk(WORK).messages.batches.retrieve(personal.id), (err: { status?: number }) => err.status === 404);
    await assert.rejects(sdk(PERSONAL).messages.batches.cancel(work.id), (err: { status?: number }) => err.status === 404);
    await assert.rejects(sdk('sk-ant-emulator-other-0000').messages.batches.list(), (err: { status?: number }) => err.status === 401);
  });

  it('the direct API reaches every account: seeding with a key, stepping any batch by id', async () => {
    const seeded = emu.createBatch([request('p2')], { apiKey: PERSONAL });
    assert.deepEqual(emu.batchIds(PERSONAL), [seeded.id]);
    assert.deepEqual(emu.batchIds(), []);
    emu.finish(seeded.id);
    assert.equal(emu.batch(seeded.id)?.processing_status, 'ended');
    assert.equal((await sdk(PERSONAL).messages.batches.retrieve(seeded.id)).processing_status, 'ended');
  });

  it('keeps every key out of its log', async () => {
    const lines: string[] = [];
    await emu.close();
    emu = await startEmulator({ apiKey: WORK, otherApiKeys: [PERSONAL], log: (line) => lines.push(line) });
    await fetch(`${emu.url}/v1/messages/batches?x=${PERSONAL}`, { headers: { 'x-api-key': PERSONAL, 'anthropic-version': '2023-06-01' } });
    assert.ok(lines.length > 0);
    assert.ok(lines.every((l) => !l.includes(PERSONAL) && !l.includes(WORK)), lines.join('\n'));
  });
});
