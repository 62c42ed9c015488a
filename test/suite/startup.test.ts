import { strict as assert } from 'node:assert';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { BatchStore } from '../../src/domain/batchStore';
import { SubmissionRegistry } from '../../src/domain/submissionRegistry';
import { UnfinishedBatches } from '../../src/domain/unfinishedBatches';
import type { Log } from '../../src/vscode/core/log';
import { PollingService } from '../../src/vscode/watching/polling';
import { StartupWatch } from '../../src/vscode/watching/startupWatch';
import { extensionApi, perTest } from './helpers';

function memoryStorage(data: Record<string, unknown> = {}) {
  return { get: <T>(key: string) => data[key] as T, update: async (key: string, value: unknown) => void (data[key] = value) };
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const quiet = () => undefined;
const log = { debug: quiet, info: quiet, warn: quiet, error: quiet } as unknown as Log;

/**
 * What activation builds to watch again after a restart, over the running extension's client (so
 * against this test's emulator), with a global storage of the test's own: a fresh start.
 */
async function start(globalState: ReturnType<typeof memoryStorage>) {
  const { clients } = await extensionApi();
  const store = new BatchStore({ api: async () => (await clients.get())?.api, pageSize: () => 20 });
  const registry = new SubmissionRegistry(globalState);
  const unfinished = new UnfinishedBatches(globalState, () => registry.list());
  const polling = new PollingService({ globalStorageUri: vscode.Uri.file(os.tmpdir()) }, store, clients, registry, log);
  const watch = new StartupWatch(unfinished, store, registry, polling, async () => (await clients.get())?.api, log);
  return { store, registry, unfinished, polling, watch, dispose: () => [watch, polling, registry, store].forEach((d) => d.dispose()) };
}

describe('after a restart: watching the unfinished batches again', () => {
  const t = perTest({ timing: 'manual' });

  it('with a batch this machine knows is unfinished, the start loads it and polls it to its end, without the view or a batch file', async () => {
    const running = t.emulator.createBatch([{ custom_id: 'a', params: { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] } }]);
    const started = await start(memoryStorage({ 'claudeBatches.unfinished': { [running.id]: Date.now() } }));
    try {
      await started.watch.ready;
      assert.equal(started.store.get(running.id)?.processing_status, 'in_progress');
      await until(() => started.polling.state.kind === 'polling', `the poller to start, it is ${started.polling.state.kind}`);
      t.emulator.finish(running.id);
      started.polling.poke();
      await until(() => started.store.get(running.id)?.processing_status === 'ended', 'the poller to see the end');
      await until(() => started.unfinished.ids().length === 0, 'the ended batch to leave the memory');
      assert.equal(started.polling.state.kind, 'idle');
    } finally {
      started.dispose();
    }
  });

  it('with nothing unfinished, the start makes no request and builds no poller', async () => {
    t.emulator.createBatch([{ custom_id: 'a', params: { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] } }]);
    const before = t.emulator.requests.length;
    const started = await start(memoryStorage({ 'claudeBatches.unfinished': {} }));
    try {
      await started.watch.ready;
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(t.emulator.requests.slice(before).map((r) => r.route), []);
      assert.equal(started.store.isLoaded, false);
      assert.equal(started.polling.state.kind, 'idle');
    } finally {
      started.dispose();
    }
  });

  it('a submission is remembered as unfinished, so the next start watches it', async () => {
    const storage = memoryStorage({ 'claudeBatches.unfinished': {} });
    const first = await start(storage);
    await first.registry.record({ batchId: 'msgbatch_submitted', label: 'a.jsonl', contentHash: 'h', requestCount: 1, byteSize: 1, submittedAt: new Date().toISOString(), models: ['m'] });
    await until(() => first.unfinished.has('msgbatch_submitted'), 'the submission to be remembered');
    first.dispose();
    const second = new UnfinishedBatches(storage, () => []);
    assert.deepEqual([...second.atStart], ['msgbatch_submitted']);
  });
});
