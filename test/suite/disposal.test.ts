// Disposing a feature lets go of everything it subscribed to: after the features built on a store
// and a registry are disposed (as deactivation disposes context.subscriptions), no listener of
// theirs is left on the store, the registry, the polling service or the results.
import { strict as assert } from 'node:assert';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BatchStore } from '../../src/domain/batchStore';
import { Emitter } from '../../src/domain/events';
import { SubmissionRegistry } from '../../src/domain/submissionRegistry';
import { DocumentValidation } from '../../src/vscode/authoring/documentValidation';
import { SubmitCodeLens } from '../../src/vscode/authoring/submitCodeLens';
import { EndNotifications } from '../../src/vscode/watching/endNotifications';
import type { Log } from '../../src/vscode/core/log';
import { PollingService } from '../../src/vscode/watching/polling';
import { ResultsDocumentProvider } from '../../src/vscode/results/resultsDocumentProvider';
import { ResultsService } from '../../src/vscode/results/resultsService';
import { BatchStatusBar } from '../../src/vscode/watching/statusBar';
import { BatchesTreeProvider } from '../../src/vscode/views/batchesTree';
import { countListeners, countListenersOf } from '../listenerCount';

function memoryStorage() {
  const data: Record<string, unknown> = {};
  return { get: <T>(key: string) => data[key] as T, update: async (key: string, value: unknown) => void (data[key] = value) };
}

describe('disposal', () => {
  it('the submit CodeLens stops listening to the diagnostics and the batch files when disposed', () => {
    const updates = new Emitter<vscode.Uri>();
    const listeners = countListeners(updates.event);
    const kinds = new Emitter<vscode.TextDocument>();
    const kindListeners = countListeners(kinds.event);
    const codeLens = new SubmitCodeLens(new DocumentValidation(), { onDidUpdate: listeners.event }, { isBatch: () => true, onDidChange: kindListeners.event });
    assert.equal(listeners.live(), 1, 'the CodeLens follows the diagnostics');
    assert.equal(kindListeners.live(), 1, 'the CodeLens follows which files are batch files');
    codeLens.dispose();
    assert.equal(listeners.live(), 0, 'the CodeLens still listens to the diagnostics after it was disposed');
    assert.equal(kindListeners.live(), 0, 'the CodeLens still listens to the batch files after it was disposed');
    updates.dispose();
    kinds.dispose();
  });

  it('the features built on the store and the registry leave no listener on them once disposed', async () => {
    // Not a Log of its own: that would open a second "Claude Batches" channel, and closing it
    // closes the running extension's.
    const quiet = () => undefined;
    const log = { debug: quiet, info: quiet, warn: quiet, error: quiet } as unknown as Log;
    const store = new BatchStore({ api: async () => undefined, pageSize: () => 10 });
    const registry = new SubmissionRegistry(memoryStorage());
    const storeListeners = countListenersOf(store, 'onDidChange');
    const registryListeners = countListenersOf(registry, 'onDidChange');
    const clientChanges = new Emitter<void>();
    const clientListeners = countListeners(clientChanges.event);
    const polling = new PollingService({ globalStorageUri: vscode.Uri.file(os.tmpdir()) }, store, { get: async () => undefined, onDidChange: clientListeners.event }, registry, log);
    // Nothing is in flight: the poller is not built, so no key is read and nothing polls.
    const pollingListeners = countListenersOf(polling, 'onDidChangeState');
    const results = new ResultsService(() => path.join(os.tmpdir(), `claude-batches-disposal-${process.pid}`), {
      registry,
      log,
      api: async () => {
        throw new Error('no API in this test');
      },
      knownBatch: () => undefined,
    });
    const resultsListeners = countListenersOf(results, 'onDidChange');

    const features = [
      new BatchStatusBar(store, registry, polling),
      new BatchesTreeProvider(store, registry),
      new EndNotifications(store, registry, memoryStorage(), log),
      new ResultsDocumentProvider(results),
    ];
    const live = () => ({ store: storeListeners.live(), registry: registryListeners.live(), polling: pollingListeners.live(), results: resultsListeners.live() });
    assert.deepEqual(live(), { store: 4, registry: 1, polling: 1, results: 1 }, 'the status bar, the tree, the notifications and the poller follow the store; the tree follows the registry');
    assert.equal(clientListeners.live(), 1, 'the polling service follows the client provider');

    for (const feature of features) feature.dispose();
    polling.dispose();
    assert.deepEqual(live(), { store: 0, registry: 0, polling: 0, results: 0 });
    assert.equal(clientListeners.live(), 0);
    for (const owner of [results, registry, store, clientChanges]) owner.dispose();
  });
});
