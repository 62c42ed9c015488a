import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { startEmulator, type Emulator } from '../../emulator';

type CreateBody = Anthropic.Messages.Batches.BatchCreateParams;

const T0 = Date.UTC(2026, 6, 1, 0, 0, 0);
const HOUR = 3600_000;

function body(prefix: string, n: number): CreateBody {
  return {
    requests: Array.from({ length: n }, (_, i) => ({
      custom_id: `${prefix}-${i}`,
      params: { model: 'claude-haiku-4-5', max_tokens: 20, messages: [{ role: 'user' as const, content: `${prefix} ${i}` }] },
    })),
  };
}

async function resultLines(sdk: Anthropic, id: string): Promise<string[]> {
  const out: string[] = [];
  for await (const line of await sdk.messages.batches.results(id)) out.push(JSON.stringify(line));
  return out;
}

function withoutUrl<T extends { results_url: string | null }>(b: T | undefined): Omit<T, 'results_url'> | undefined {
  if (!b) return b;
  const { results_url: _ignored, ...rest } = b;
  return rest;
}

describe('emulator state file', () => {
  let dir: string;
  let statePath: string;
  const running: Emulator[] = [];

  async function start(): Promise<{ emu: Emulator; sdk: Anthropic }> {
    const emu = await startEmulator({ statePath, timing: 'manual', now: () => T0 });
    running.push(emu);
    return { emu, sdk: new Anthropic({ apiKey: emu.apiKey, baseURL: emu.url, maxRetries: 0 }) };
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'batches-emulator-'));
    statePath = path.join(dir, 'nested', 'state.json');
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((e) => e.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps batches, their requests, progress, cancels, deletions and the clock across a restart', async () => {
    const first = await start();
    const done = await first.sdk.messages.batches.create(body('done', 3));
    const canceled = await first.sdk.messages.batches.create(body('cancel', 4));
    const running2 = await first.sdk.messages.batches.create(body('run', 5));
    const gone = await first.sdk.messages.batches.create(body('gone', 1));
    first.emu.finish(done.id);
    first.emu.step(canceled.id, 1);
    await first.sdk.messages.batches.cancel(canceled.id);
    first.emu.step(running2.id, 2);
    first.emu.finish(gone.id);
    await first.sdk.messages.batches.delete(gone.id);
    first.emu.clock.advance(2 * HOUR);
    const before = first.emu.batchIds().map((id) => first.emu.batch(id));
    const doneLines = await resultLines(first.sdk, done.id);
    await first.emu.close();

    assert.ok(fs.existsSync(statePath));
    assert.deepEqual(
      fs.readdirSync(path.dirname(statePath)),
      ['state.json'],
      'no temporary file left behind',
    );
    JSON.parse(fs.readFileSync(statePath, 'utf8'));

    const second = await start();
    assert.equal(second.emu.clock.now(), T0 + 2 * HOUR);
    assert.deepEqual(second.emu.batchIds(), [running2.id, canceled.id, done.id]);
    assert.deepEqual(
      second.emu.batchIds().map((id) => withoutUrl(second.emu.batch(id))),
      before.map((b) => withoutUrl(b)),
    );
    assert.equal(second.emu.batch(done.id)?.results_url, `${second.emu.url}/v1/messages/batches/${done.id}/results`);
    assert.deepEqual(await resultLines(second.sdk, done.id), doneLines);
    await assert.rejects(second.sdk.messages.batches.retrieve(gone.id), Anthropic.NotFoundError);

    // Work goes on where it stood.
    assert.equal(second.emu.batch(canceled.id)?.processing_status, 'canceling');
    second.emu.step(canceled.id);
    assert.deepEqual(second.emu.batch(canceled.id)?.request_counts, { processing: 0, succeeded: 1, errored: 0, canceled: 3, expired: 0 });
    second.emu.step(running2.id, 3);
    assert.deepEqual(second.emu.batch(running2.id)?.request_counts, { processing: 0, succeeded: 5, errored: 0, canceled: 0, expired: 0 });

    // New batches get new ids.
    const fresh = await second.sdk.messages.batches.create(body('fresh', 1));
    assert.ok(![done.id, canceled.id, running2.id, gone.id].includes(fresh.id));
  });

  it('starts empty without a file and refuses a file that is not state', async () => {
    const { emu } = await start();
    assert.deepEqual(emu.batchIds(), []);
    await emu.close();
    assert.equal(fs.existsSync(statePath), false, 'nothing changed, nothing written');
    fs.mkdirSync(path.dirname(statePath), { recursive: true });
    fs.writeFileSync(statePath, '{ not json');
    await assert.rejects(startEmulator({ statePath }), /not valid JSON/);
    fs.writeFileSync(statePath, JSON.stringify({ version: 99, batches: [] }));
    await assert.rejects(startEmulator({ statePath }), /unknown format/);
  });

  it('saves after each change', async () => {
    const { emu, sdk } = await start();
    const { id } = await sdk.messages.batches.create(body('x', 2));
    const read = (): { batches: { id: string; cancelAt: number | null }[]; clockOffsetMs: number } => JSON.parse(fs.readFileSync(statePath, 'utf8'));
    assert.deepEqual(
      read().batches.map((b) => b.id),
      [id],
    );
    await sdk.messages.batches.cancel(id);
    assert.equal(read().batches[0].cancelAt, T0);
    emu.clock.advance(1234);
    assert.equal(read().clockOffsetMs, 1234);
  });
});
