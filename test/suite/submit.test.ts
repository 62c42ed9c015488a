import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { extensionApi, workspaceDir, writeBatchFile, perTest } from './helpers';

describe('Submit as Batch', () => {
  const t = perTest({ timing: 'manual' });

  const creates = () => t.emulator.requests.filter((r) => r.route === 'create');

  it('confirms with count, size and models, creates one batch, and shows it first in the view', async () => {
    const uri = writeBatchFile(3);
    t.ui.answer('confirm', /^Submit 3 requests from batch-.*\.jsonl as a batch\?/, 'Submit');
    const batch = await vscode.commands.executeCommand<{ id: string }>('claudeBatches.submitFile', uri);
    t.ui.verify();
    assert.ok(batch, 'no batch returned');
    const confirm = t.ui.shown.find((s) => s.kind === 'confirm')!;
    assert.match(confirm.detail!, /Size: \d+(\.\d)? (B|KB)/);
    assert.match(confirm.detail!, /Models: claude-sonnet-4-5 \(3\)/);
    assert.equal(creates().length, 1);
    assert.deepEqual(t.emulator.batchIds(), [batch.id]);
    const { store, registry } = await extensionApi();
    assert.equal(store.batches[0].id, batch.id);
    const record = registry.get(batch.id)!;
    assert.equal(record.label, path.basename(uri.fsPath));
    assert.equal(record.sourcePath, uri.fsPath);
    assert.equal(record.requestCount, 3);
    assert.match(record.contentHash, /^[0-9a-f]{64}$/);
    assert.match(t.ui.messages('info')[0], /^Submitted batch-.*\.jsonl as batch msgbatch_/);
  });

  it('submits nothing when the user does not confirm', async () => {
    const uri = writeBatchFile(2);
    t.ui.answer('confirm', /^Submit 2 requests/, undefined);
    await vscode.commands.executeCommand('claudeBatches.submitFile', uri);
    t.ui.verify();
    assert.equal(creates().length, 0);
  });

  it('submits the unsaved text of an open editor', async () => {
    const uri = writeBatchFile(2);
    const editor = await vscode.window.showTextDocument(uri);
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), `${JSON.stringify({ custom_id: 'extra', params: { model: 'claude-haiku-4-5', max_tokens: 8, messages: [{ role: 'user', content: 'unsaved' }] } })}\n`));
    assert.equal(editor.document.isDirty, true);
    t.ui.answer('confirm', /^Submit 3 requests/, 'Submit');
    const batch = await vscode.commands.executeCommand<{ id: string }>('claudeBatches.submitFile', uri);
    t.ui.verify();
    assert.match(t.ui.shown.find((s) => s.kind === 'confirm')!.detail!, /including unsaved changes/);
    assert.equal(t.emulator.batch(batch.id)!.request_counts.processing, 3);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('refuses a file with mistakes, naming file, line and column, and sends nothing', async () => {
    const file = path.join(workspaceDir(), 'mistakes-test.jsonl');
    fs.writeFileSync(
      file,
      [
        JSON.stringify({ custom_id: 'a', params: { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] } }),
        JSON.stringify({ custom_id: 'a', params: { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'y' }] } }),
        '{"custom_id": "b", "params": ',
      ].join('\n'),
    );
    await vscode.commands.executeCommand('claudeBatches.submitFile', vscode.Uri.file(file));
    t.ui.verify();
    const [message] = t.ui.messages('error');
    assert.match(message, /^mistakes-test\.jsonl is not valid batch JSONL, so nothing was submitted \(2 errors\)/);
    assert.match(message, /mistakes-test\.jsonl:2:14: custom_id "a" is already used on line 1/);
    assert.match(message, /mistakes-test\.jsonl:3:29: invalid JSON/);
    assert.equal(creates().length, 0);
  });

  it('refuses a file with bytes that are not UTF-8, at their line and column, and sends nothing', async () => {
    const file = path.join(workspaceDir(), 'latin1-test.jsonl');
    const good = JSON.stringify({ custom_id: 'a', params: { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] } });
    // "café" saved as Latin-1: é is the single byte 0xE9.
    fs.writeFileSync(file, Buffer.concat([Buffer.from(`${good}\n{"custom_id":"b","params":{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"caf`), Buffer.from([0xe9]), Buffer.from('"}]}}\n')]));
    await vscode.commands.executeCommand('claudeBatches.submitFile', vscode.Uri.file(file));
    t.ui.verify();
    const [message] = t.ui.messages('error');
    assert.match(message, /^latin1-test\.jsonl is not valid batch JSONL, so nothing was submitted \(1 error\)/);
    assert.match(message, /latin1-test\.jsonl:2:96: invalid UTF-8 at byte 96 of the line \(0xE9\)/);
    assert.equal(creates().length, 0);
    assert.deepEqual(t.emulator.batchIds(), []);
  });

  it('refuses a symlink to /dev/zero and a named pipe without reading them, and sends nothing', async function () {
    if (process.platform === 'win32') this.skip();
    const link = path.join(workspaceDir(), 'zero-test.jsonl');
    fs.rmSync(link, { force: true });
    fs.symlinkSync('/dev/zero', link);
    await vscode.commands.executeCommand('claudeBatches.submitFile', vscode.Uri.file(link));
    assert.match(t.ui.messages('error')[0], /zero-test\.jsonl is not a regular file \(it is a character device\)/);
    const fifo = path.join(workspaceDir(), 'pipe-test.jsonl');
    fs.rmSync(fifo, { force: true });
    execFileSync('mkfifo', [fifo]);
    await vscode.commands.executeCommand('claudeBatches.submitFile', vscode.Uri.file(fifo));
    assert.match(t.ui.messages('error')[1], /pipe-test\.jsonl is not a regular file \(it is a named pipe\)/);
    fs.rmSync(link);
    fs.rmSync(fifo);
    t.ui.verify();
    assert.equal(creates().length, 0);
    assert.deepEqual(t.emulator.batchIds(), []);
  });

  it('refuses an empty file', async () => {
    const file = path.join(workspaceDir(), 'empty-test.jsonl');
    fs.writeFileSync(file, '');
    await vscode.commands.executeCommand('claudeBatches.submitFile', vscode.Uri.file(file));
    assert.match(t.ui.messages('error')[0], /empty-test\.jsonl has no requests/);
    assert.equal(creates().length, 0);
  });

  it('warns before submitting the same content twice, and links to the earlier batch', async () => {
    const uri = writeBatchFile(2, 'same-content', 'same-a.jsonl');
    t.ui.answer('confirm', /^Submit 2 requests/, 'Submit');
    const first = await vscode.commands.executeCommand<{ id: string }>('claudeBatches.submitFile', uri);
    const again = writeBatchFile(2, 'same-content', 'same-b.jsonl');
    t.ui.answer('confirm', /already submitted with exactly this content/, 'Show Batch');
    await vscode.commands.executeCommand('claudeBatches.submitFile', again);
    assert.equal(creates().length, 1, 'Show Batch must not submit');
    assert.match(t.ui.shown.filter((s) => s.kind === 'confirm')[1].detail!, new RegExp(`As batch ${first.id}`));
    t.ui.answer('confirm', /already submitted with exactly this content/, 'Submit Again');
    t.ui.answer('confirm', /^Submit 2 requests/, 'Submit');
    await vscode.commands.executeCommand('claudeBatches.submitFile', again);
    t.ui.verify();
    assert.equal(creates().length, 2);
  });

  it('a connection dropped after the API created the batch: finds it, exactly one batch exists', async () => {
    const uri = writeBatchFile(4);
    t.emulator.faults.add({ route: 'create', drop: 'after-commit' });
    t.ui.answer('confirm', /^Submit 4 requests/, 'Submit');
    const batch = await vscode.commands.executeCommand<{ id: string }>('claudeBatches.submitFile', uri);
    t.ui.verify();
    assert.equal(creates().length, 1, 'create must not be retried');
    assert.equal(t.emulator.batchIds().length, 1);
    assert.equal(batch.id, t.emulator.batchIds()[0]);
    assert.match(t.ui.messages('warn')[0], /the batch it created was found .* Nothing was sent twice/);
    const { registry, store } = await extensionApi();
    assert.equal(registry.get(batch.id)?.adopted, true);
    assert.equal(store.batches[0].id, batch.id);
  });

  it('a connection dropped before the API created it: says so, and resends only on an explicit choice', async () => {
    const uri = writeBatchFile(2);
    t.emulator.faults.add({ route: 'create', drop: 'before-commit' });
    t.ui.answer('confirm', /^Submit 2 requests/, 'Submit');
    t.ui.answer('confirm', /It is not known whether batch-.* was submitted/, 'Check Again');
    t.ui.answer('confirm', /It is not known whether/, 'Submit Again');
    const batch = await vscode.commands.executeCommand<{ id: string }>('claudeBatches.submitFile', uri);
    t.ui.verify();
    const unknown = t.ui.shown.filter((s) => /not known/.test(s.message));
    assert.equal(unknown.length, 2);
    assert.match(unknown[0].detail!, /Cannot reach the Anthropic API/);
    assert.match(unknown[0].detail!, /No batch with 2 requests created since/);
    assert.equal(creates().length, 2);
    assert.deepEqual(t.emulator.batchIds(), [batch.id]);
  });

  it('leaves it at that when the user does not choose to resend', async () => {
    const uri = writeBatchFile(2);
    t.emulator.faults.add({ route: 'create', status: 529 });
    t.ui.answer('confirm', /^Submit 2 requests/, 'Submit');
    t.ui.answer('confirm', /It is not known whether/, undefined);
    await vscode.commands.executeCommand('claudeBatches.submitFile', uri);
    t.ui.verify();
    assert.match(t.ui.shown.find((s) => /not known/.test(s.message))!.detail!, /overloaded/);
    assert.equal(creates().length, 1);
    assert.equal(t.emulator.batchIds().length, 0);
  });

  it('a 429 on create is a clear failure: nothing was created, nothing is resent', async () => {
    const uri = writeBatchFile(2);
    t.emulator.faults.add({ route: 'create', status: 429, retryAfter: 20 });
    t.ui.answer('confirm', /^Submit 2 requests/, 'Submit');
    await vscode.commands.executeCommand('claudeBatches.submitFile', uri);
    t.ui.verify();
    const [message] = t.ui.messages('error');
    assert.match(message, /^Submitting batch-.*\.jsonl failed: Rate limited .* wait 20 s/);
    assert.match(message, /\(request id req_\w+\)$/);
    assert.equal(creates().length, 1);
  });

  it('a rejected key on create says to set a key, with the request id', async () => {
    const uri = writeBatchFile(1);
    t.emulator.faults.add({ route: 'create', status: 401 });
    t.ui.answer('confirm', /^Submit 1 request /, 'Submit');
    await vscode.commands.executeCommand('claudeBatches.submitFile', uri);
    t.ui.verify();
    assert.match(t.ui.messages('error')[0], /API key was rejected.*Set API Key.*\(request id req_\w+\)$/);
  });
});
