import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MessageBatch } from '../../src/api';
import { extensionApi, perTest } from './helpers';

const request = (id: string) => ({ custom_id: id, params: { model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: `hi ${id}` }] } });

describe('batch commands', () => {
  const t = perTest({ timing: 'manual' });

  async function listed(): Promise<void> {
    const { store } = await extensionApi();
    await store.refresh();
  }

  describe('cancel', () => {
    it('asks, then cancels a running batch; the view shows it canceling, then ended with canceled counts', async () => {
      const running = t.emulator.createBatch([request('a'), request('b'), request('c')]);
      await listed();
      t.ui.answer('confirm', /^Cancel the batch "msgbatch_/, 'Cancel Batch');
      const updated = await vscode.commands.executeCommand<MessageBatch>('claudeBatches.cancel', running.id);
      t.ui.verify();
      assert.equal(updated.processing_status, 'canceling');
      const { store } = await extensionApi();
      assert.equal(store.get(running.id)?.processing_status, 'canceling');
      assert.match(t.ui.shown[0].detail!, /not yet processed are canceled and not billed/);
      t.emulator.finish(running.id);
      await store.refresh();
      assert.equal(store.get(running.id)?.processing_status, 'ended');
      assert.equal(store.get(running.id)?.request_counts.canceled, 3);
    });

    it('does nothing when the user says no', async () => {
      const running = t.emulator.createBatch([request('a')]);
      await listed();
      t.ui.answer('confirm', /^Cancel the batch/, undefined);
      await vscode.commands.executeCommand('claudeBatches.cancel', running.id);
      t.ui.verify();
      assert.equal(t.emulator.requests.filter((r) => r.route === 'cancel').length, 0);
    });

    it('from the palette, offers only running batches', async () => {
      const done = t.emulator.createBatch([request('a')]);
      t.emulator.finish(done.id);
      const running = t.emulator.createBatch([request('b')]);
      await listed();
      let offered: string[] = [];
      t.ui.answer('pick', /Select a running batch to cancel/, (items: { detail?: string }[]) => {
        offered = items.map((i) => i.detail!);
        return items[0];
      });
      t.ui.answer('confirm', /^Cancel the batch/, 'Cancel Batch');
      await vscode.commands.executeCommand('claudeBatches.cancel');
      t.ui.verify();
      assert.deepEqual(offered, [running.id]);
    });

    it('an ended batch: says there is nothing to cancel, sends nothing', async () => {
      const done = t.emulator.createBatch([request('a')]);
      t.emulator.finish(done.id);
      await listed();
      await vscode.commands.executeCommand('claudeBatches.cancel', done.id);
      assert.match(t.ui.messages('info')[0], /is ended: there is nothing to cancel/);
      assert.equal(t.emulator.requests.filter((r) => r.route === 'cancel').length, 0);
    });

    it('a batch that ended meanwhile: the API refusal is shown with its reason and request id', async () => {
      const batch = t.emulator.createBatch([request('a')]);
      await listed(); // the view still thinks it runs
      t.emulator.finish(batch.id);
      t.ui.answer('confirm', /^Cancel the batch/, 'Cancel Batch');
      await vscode.commands.executeCommand('claudeBatches.cancel', batch.id);
      t.ui.verify();
      assert.match(t.ui.messages('error')[0], /^Cancelling the batch failed: The API refused the request\. The API said: .+\(request id req_\w+\)$/);
    });

    it('a batch that vanished: says it no longer exists and removes it from the view', async () => {
      const batch = t.emulator.createBatch([request('a')]);
      await listed();
      t.emulator.finish(batch.id);
      await fetch(`${t.emulator.url}/v1/messages/batches/${batch.id}`, {
        method: 'DELETE',
        headers: { 'x-api-key': t.emulator.apiKey, 'anthropic-version': '2023-06-01' },
      });
      t.ui.answer('confirm', /^Cancel the batch/, 'Cancel Batch');
      await vscode.commands.executeCommand('claudeBatches.cancel', batch.id);
      t.ui.verify();
      assert.match(t.ui.messages('error')[0], /no longer exists/);
      const { store } = await extensionApi();
      assert.equal(store.get(batch.id), undefined);
    });
  });

  describe('delete', () => {
    it('refuses a batch that has not ended, saying to cancel first', async () => {
      const running = t.emulator.createBatch([request('a')]);
      await listed();
      await vscode.commands.executeCommand('claudeBatches.delete', running.id);
      assert.match(t.ui.messages('error')[0], /is still in progress and cannot be deleted\. Cancel it first/);
      assert.equal(t.emulator.requests.filter((r) => r.route === 'delete').length, 0);
    });

    it('asks, warning the results will be gone, then deletes an ended batch', async () => {
      const done = t.emulator.createBatch([request('a')]);
      t.emulator.finish(done.id);
      await listed();
      t.ui.answer('confirm', /^Delete the batch/, 'Delete');
      const deleted = await vscode.commands.executeCommand<boolean>('claudeBatches.delete', done.id);
      t.ui.verify();
      assert.equal(deleted, true);
      assert.match(t.ui.shown[0].detail!, /Results you have not saved are gone for good/);
      assert.deepEqual(t.ui.shown[0].actions, ['Delete', 'Save Results First']);
      assert.equal(t.emulator.batch(done.id), undefined);
      const { store } = await extensionApi();
      assert.equal(store.get(done.id), undefined);
    });

    it('"Save Results First" saves every result to the chosen file, then deletes', async () => {
      const done = t.emulator.createBatch([request('a'), request('b')]);
      t.emulator.finish(done.id);
      await listed();
      const target = vscode.Uri.file(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cb-save-')), 'saved.jsonl'));
      t.ui.answer('confirm', /^Delete the batch/, 'Save Results First');
      t.ui.answer('pick', /Which results of/, 'All results');
      t.ui.answer('saveDialog', /Save the results/, target);
      await vscode.commands.executeCommand('claudeBatches.delete', done.id);
      t.ui.verify();
      const lines = fs.readFileSync(target.fsPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { custom_id: string });
      assert.deepEqual(lines.map((l) => l.custom_id).sort(), ['a', 'b']);
      assert.equal(t.emulator.batch(done.id), undefined);
    });

    it('keeps the batch when the save dialog is dismissed', async () => {
      const done = t.emulator.createBatch([request('a')]);
      t.emulator.finish(done.id);
      await listed();
      t.ui.answer('confirm', /^Delete the batch/, 'Save Results First');
      t.ui.answer('pick', /Which results of/, 'All results');
      t.ui.answer('saveDialog', /Save the results/, undefined);
      await vscode.commands.executeCommand('claudeBatches.delete', done.id);
      t.ui.verify();
      assert.ok(t.emulator.batch(done.id));
    });
  });

  describe('the list', () => {
    it('pages with Load more: 45 batches at a page size of 20', async () => {
      const start = Date.now() - 45 * 60_000;
      for (let i = 0; i < 45; i++) t.emulator.createBatch([request(`r${i}`)], { createdAt: start + i * 60_000 });
      await vscode.workspace.getConfiguration('claudeBatches').update('pageSize', 20, vscode.ConfigurationTarget.Global);
      try {
        const { store } = await extensionApi();
        await store.refresh();
        assert.equal(store.batches.length, 20);
        assert.equal(store.hasMore, true);
        await vscode.commands.executeCommand('claudeBatches.loadMore');
        assert.equal(store.batches.length, 40);
        await vscode.commands.executeCommand('claudeBatches.loadMore');
        assert.equal(store.batches.length, 45);
        assert.equal(store.hasMore, false);
        const created = store.batches.map((b) => b.created_at);
        assert.deepEqual(created, [...created].sort().reverse(), 'newest first');
        // A refresh keeps everything loaded, in one request.
        const before = t.emulator.requests.filter((r) => r.route === 'list').length;
        await vscode.commands.executeCommand('claudeBatches.refresh');
        assert.equal(store.batches.length, 45);
        assert.equal(t.emulator.requests.filter((r) => r.route === 'list').length, before + 1);
      } finally {
        await vscode.workspace.getConfiguration('claudeBatches').update('pageSize', undefined, vscode.ConfigurationTarget.Global);
      }
    });

    it('a rejected key: the list says so (welcome view state keyRejected)', async () => {
      t.emulator.faults.add({ route: 'list', status: 401 });
      const { store } = await extensionApi();
      await store.refresh();
      assert.equal(store.state.kind, 'error');
      assert.equal(store.state.kind === 'error' && store.state.error.kind, 'auth');
    });

    it('cannot reach the API: unreachable state, and a retry recovers', async () => {
      t.emulator.faults.add({ route: 'list', drop: 'before-commit', times: 3 });
      const { store } = await extensionApi();
      await store.refresh();
      assert.equal(store.state.kind === 'error' && store.state.error.kind, 'connection');
      await vscode.commands.executeCommand('claudeBatches.refresh');
      assert.equal(store.state.kind, 'ready');
    });
  });

  it('copies a batch id to the clipboard', async () => {
    const batch = t.emulator.createBatch([request('a')]);
    await listed();
    await vscode.commands.executeCommand('claudeBatches.copyId', batch.id);
    assert.equal(await vscode.env.clipboard.readText(), batch.id);
  });

});
