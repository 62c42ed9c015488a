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

  /** Lists the batches, and waits for the end notifications that listing brings (they come on their own schedule). */
  async function listed(): Promise<void> {
    const { store, endNotifications } = await extensionApi();
    await store.refresh();
    await endNotifications.settled();
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

    /** An ended batch submitted from this machine (so it has a record), listed. */
    async function endedRecorded(ids: string[]): Promise<MessageBatch> {
      const done = t.emulator.createBatch(ids.map(request));
      t.emulator.finish(done.id);
      const { registry } = await extensionApi();
      await registry.record({ batchId: done.id, label: `${done.id}.jsonl`, contentHash: `hash-${done.id}`, requestCount: ids.length, byteSize: 1, submittedAt: new Date().toISOString(), models: [] });
      await listed();
      return done;
    }

    async function localFiles(batchId: string): Promise<string[]> {
      const { results } = await extensionApi();
      return fs.existsSync(results.dir) ? fs.readdirSync(results.dir).filter((n) => n.startsWith(`${batchId}.`)) : [];
    }

    it('with no local copy yet: offers to keep one, to delete everywhere (saying unsaved results are gone for good), or to save first', async () => {
      const done = await endedRecorded(['a']);
      t.ui.answer('confirm', /^Delete the batch/, 'Delete Everywhere');
      const deleted = await vscode.commands.executeCommand<boolean>('claudeBatches.delete', done.id);
      t.ui.verify();
      assert.equal(deleted, true);
      const asked = t.ui.shown.find((s) => s.kind === 'confirm')!;
      assert.match(asked.detail!, /"Delete Everywhere" deletes both: results you have not saved elsewhere are gone for good/);
      assert.match(asked.detail!, /no copy of the results yet/);
      assert.deepEqual(asked.actions, ['Delete, Keep Local Copy', 'Delete Everywhere', 'Save Results First']);
      assert.equal(t.emulator.batch(done.id), undefined);
      const { store, registry } = await extensionApi();
      assert.equal(store.get(done.id), undefined);
      assert.equal(registry.get(done.id), undefined, 'nothing of it stays on this machine');
      assert.deepEqual(await localFiles(done.id), []);
    });

    it('"Delete Everywhere" removes the local copy and the record too', async () => {
      const done = await endedRecorded(['a', 'b']);
      const { results, registry } = await extensionApi();
      assert.equal((await results.ensureLocal(done, 'x'))?.complete, true);
      assert.ok((await localFiles(done.id)).length >= 2);
      t.ui.answer('confirm', /^Delete the batch/, 'Delete Everywhere');
      assert.equal(await vscode.commands.executeCommand<boolean>('claudeBatches.delete', done.id), true);
      t.ui.verify();
      assert.match(t.ui.shown.find((s) => s.kind === 'confirm')!.detail!, /This machine has a complete local copy of the results \(\d/);
      assert.deepEqual(await localFiles(done.id), []);
      assert.equal(registry.get(done.id), undefined);
      assert.equal(t.emulator.batch(done.id), undefined);
      assert.match(t.ui.messages('info').at(-1)!, /from Anthropic's servers and from this machine/);
    });

    it('"Delete, Keep Local Copy" downloads the results when needed and keeps them and the record; the message says so', async () => {
      const done = await endedRecorded(['a', 'b']);
      t.ui.answer('confirm', /^Delete the batch/, 'Delete, Keep Local Copy');
      assert.equal(await vscode.commands.executeCommand<boolean>('claudeBatches.delete', done.id), true);
      t.ui.verify();
      assert.equal(t.emulator.batch(done.id), undefined, "Anthropic's copy is deleted");
      const { results, registry } = await extensionApi();
      const local = await results.archive.status(done.id);
      assert.equal(local?.complete, true);
      assert.equal(local?.lines, 2);
      assert.ok(registry.get(done.id), 'the record names the local copy');
      const said = t.ui.messages('info').at(-1)!;
      assert.match(said, /Its results stay on this machine/);
      assert.doesNotMatch(said, /gone/);
    });

    it('"Save Results First" saves every result to the chosen file, then asks again about the copies', async () => {
      const done = await endedRecorded(['a', 'b']);
      const target = vscode.Uri.file(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cb-save-')), 'saved.jsonl'));
      t.ui.answer('confirm', /^Delete the batch/, 'Save Results First');
      t.ui.answer('pick', /Which results of/, 'All results');
      t.ui.answer('saveDialog', /Save the results/, target);
      t.ui.answer('confirm', /^Delete the batch/, 'Delete, Keep Local Copy');
      await vscode.commands.executeCommand('claudeBatches.delete', done.id);
      t.ui.verify();
      const lines = fs.readFileSync(target.fsPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { custom_id: string });
      assert.deepEqual(lines.map((l) => l.custom_id).sort(), ['a', 'b']);
      const asked = t.ui.shown.filter((s) => s.kind === 'confirm');
      assert.deepEqual(asked[1].actions, ['Delete, Keep Local Copy', 'Delete Everywhere'], 'saved: no second offer to save');
      assert.doesNotMatch(asked[1].detail!, /gone for good/);
      assert.equal(t.emulator.batch(done.id), undefined);
      assert.ok((await localFiles(done.id)).length > 0);
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

  it("item commands take the Batches view's rows, as its menus pass them", async () => {
    const batch = t.emulator.createBatch([request('a')]);
    await listed();
    const { tree } = await extensionApi();
    const row = tree.getChildren().find((n) => n.kind === 'batch' && n.batch.id === batch.id);
    assert.ok(row, 'the batch has a row');
    await vscode.env.clipboard.writeText('');
    assert.equal(await vscode.commands.executeCommand<string>('claudeBatches.copyId', row), batch.id);
    assert.equal(await vscode.env.clipboard.readText(), batch.id);
  });


  describe('local results', () => {
    async function endedWithLocal(ids: string[]): Promise<MessageBatch> {
      const done = t.emulator.createBatch(ids.map(request));
      t.emulator.finish(done.id);
      await listed();
      const { results } = await extensionApi();
      assert.equal((await results.ensureLocal(done, done.id))?.complete, true);
      return done;
    }

    it('Manage Local Results lists each copy with its size and whether the API has it, and deletes the chosen ones once confirmed', async () => {
      const keep = await endedWithLocal(['a']);
      const drop = await endedWithLocal(['a', 'b', 'c']);
      const { results } = await extensionApi();
      let placeHolder = '';
      t.ui.answer('pickMany', /local cop(y|ies) of results, .* in all\. Select the ones to delete/, (items: { batchId: string; detail?: string; description?: string }[]) => {
        const mine = items.filter((i) => i.batchId === keep.id || i.batchId === drop.id);
        assert.equal(mine.length, 2);
        for (const item of mine) {
          assert.match(item.description!, /^\d+(\.\d)? (B|KB|MB) · complete · downloaded \d{4}-\d\d-\d\d$/);
          assert.match(item.detail!, /the API still has these results/);
        }
        placeHolder = t.ui.shown.at(-1)!.message;
        return mine.filter((i) => i.batchId === drop.id);
      });
      t.ui.answer('confirm', /^Delete 1 local copy of results/, 'Delete Local Copies');
      const deleted = await vscode.commands.executeCommand<string[]>('claudeBatches.manageStorage');
      t.ui.verify();
      assert.match(placeHolder, /^\d+ local cop/);
      assert.deepEqual(deleted, [drop.id]);
      assert.equal(await results.archive.status(drop.id), undefined);
      assert.equal((await results.archive.status(keep.id))?.complete, true);
      assert.ok(t.emulator.batch(drop.id), "the API's copy is untouched");
    });

    it('nothing is deleted when the confirmation is dismissed', async () => {
      const done = await endedWithLocal(['a']);
      const { results } = await extensionApi();
      t.ui.answer('pickMany', /Select the ones to delete/, (items: { batchId: string }[]) => items.filter((i) => i.batchId === done.id));
      t.ui.answer('confirm', /^Delete 1 local copy/, undefined);
      await vscode.commands.executeCommand('claudeBatches.manageStorage');
      t.ui.verify();
      assert.equal((await results.archive.status(done.id))?.complete, true);
    });

    it('tidying removes day-old temp files and old records of batches gone from the API, keeping records with a local copy', async () => {
      const withLocal = await endedWithLocal(['a']);
      const { results, registry, tidy } = await extensionApi();
      const stale = path.join(results.dir, `${withLocal.id}.1-old-1.part`);
      const fresh = path.join(results.dir, `${withLocal.id}.1-new-2.part`);
      fs.writeFileSync(stale, 'left by a crash');
      fs.writeFileSync(fresh, 'a download running in another window');
      const dayAndMore = new Date(Date.now() - 25 * 60 * 60 * 1000);
      fs.utimesSync(stale, dayAndMore, dayAndMore);
      const longAgo = new Date(Date.now() - 200 * 24 * 60 * 60 * 1000).toISOString();
      const old = (batchId: string) => ({ batchId, label: `${batchId}.jsonl`, contentHash: 'h', requestCount: 1, byteSize: 1, submittedAt: longAgo, models: [] });
      await registry.record(old('msgbatch_gone_long_ago'));
      await registry.record(old(withLocal.id));
      const recent = t.emulator.createBatch([request('r')]);
      await registry.record(old(recent.id));
      const report = await tidy();
      assert.ok(report.files.includes(path.basename(stale)));
      assert.equal(fs.existsSync(stale), false);
      assert.equal(fs.existsSync(fresh), true);
      assert.ok(report.forgotten.includes('msgbatch_gone_long_ago'));
      assert.equal(registry.get('msgbatch_gone_long_ago'), undefined);
      assert.ok(registry.get(withLocal.id), 'a local copy keeps its record');
      assert.ok(registry.get(recent.id), 'a batch the API still has keeps its record');
      fs.rmSync(fresh, { force: true });
    });
  });

  describe('merged save of a group', () => {
    async function group(parts: number, submitted = parts): Promise<{ groupId: string; batches: MessageBatch[] }> {
      const { registry } = await extensionApi();
      const groupId = `g-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const batches: MessageBatch[] = [];
      for (let part = 1; part <= submitted; part++) {
        const batch = t.emulator.createBatch([request(`p${part}-a`), request(`p${part}-b`)]);
        t.emulator.finish(batch.id);
        batches.push(batch);
        await registry.record({ batchId: batch.id, label: 'split.jsonl', contentHash: `h${part}`, requestCount: 2, byteSize: 1, submittedAt: new Date().toISOString(), models: [], group: { id: groupId, part, parts, label: 'split.jsonl' } });
      }
      await listed();
      return { groupId, batches };
    }

    it('a target that cannot be written (a folder) fails at once with a clear error and leaves no temp file', async () => {
      const { groupId } = await group(2);
      const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-merged-folder-'));
      t.ui.answer('saveDialog', /Save the results of "split\.jsonl" \(2 batches, merged\)/, vscode.Uri.file(folder));
      const started = Date.now();
      const saved = await vscode.commands.executeCommand<boolean | undefined>('claudeBatches.saveResults', `group:${groupId}`);
      t.ui.verify();
      assert.ok(Date.now() - started < 10_000, 'no hang');
      assert.notEqual(saved, true);
      assert.match(t.ui.messages('error').at(-1)!, /Cannot save to .*cb-merged-folder-.*: it is a folder \(EISDIR\)\. Choose another file/);
      assert.deepEqual(fs.readdirSync(path.dirname(folder)).filter((n) => n.startsWith(path.basename(folder)) && n.endsWith('.part')), []);
    });

    it("takes the group's row, as its menu passes it, like its group: reference", async () => {
      const { groupId } = await group(2);
      const { tree } = await extensionApi();
      const row = tree.getChildren().find((n) => n.kind === 'group' && n.groupId === groupId);
      assert.ok(row, 'the group has a row');
      const target = vscode.Uri.file(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cb-merged-row-')), 'merged.jsonl'));
      t.ui.answer('saveDialog', /Save the results of "split\.jsonl" \(2 batches, merged\)/, target);
      assert.equal(await vscode.commands.executeCommand<boolean>('claudeBatches.saveResults', row), true);
      t.ui.verify();
      assert.equal(fs.readFileSync(target.fsPath, 'utf8').trim().split('\n').length, 4);
    });

    it('a part with neither a listing nor a local copy: asks, then saves the rest and says only N of M results', async () => {
      const { groupId } = await group(3, 2);
      const target = vscode.Uri.file(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cb-merged-')), 'merged.jsonl'));
      t.ui.answer('confirm', /without split\.jsonl \(3\/3\)/, 'Save Without Them');
      t.ui.answer('saveDialog', /\(3 batches, merged\)/, target);
      assert.equal(await vscode.commands.executeCommand<boolean>('claudeBatches.saveResults', `group:${groupId}`), true);
      t.ui.verify();
      assert.equal(fs.readFileSync(target.fsPath, 'utf8').trim().split('\n').length, 4);
      assert.match(t.ui.messages('warn').at(-1)!, /Only 4 results, not all of them: part 3 \(split\.jsonl \(3\/3\)\) has no local copy and is left out\.$/);
    });
  });
});
