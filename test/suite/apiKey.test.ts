import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ScriptedUi } from './scriptedUi';
import { extensionApi, logFiles, resetStore, scriptUi, useEmulator } from './helpers';

/** Every file under the extension host's log folder (output channels included). */

describe('the API key', () => {
  let emulator: Awaited<ReturnType<typeof useEmulator>>;
  let ui: ScriptedUi;
  let restore: () => void;
  const storedKey = 'sk-ant-stored-key-for-tests-42';

  beforeEach(async () => {
    emulator = await useEmulator({ apiKey: storedKey });
    ({ ui, restore } = await scriptUi());
  });
  afterEach(async () => {
    restore();
    await vscode.commands.executeCommand('claudeBatches.clearApiKey');
    await emulator.stop();
  });

  it('is checked with one cheap call, stored in secret storage, and used at once; the view follows', async () => {
    const { clients, store } = await extensionApi();
    await resetStore();
    // The environment's key is not the one this emulator accepts: the list fails first.
    assert.equal(store.state.kind === 'error' && store.state.error.kind, 'auth');
    ui.answer('input', /Paste your Anthropic API key/, storedKey);
    const before = emulator.requests.length;
    const saved = await vscode.commands.executeCommand<boolean>('claudeBatches.setApiKey');
    ui.verify();
    assert.equal(saved, true);
    // The first request is the check (the store may list again with the new key right after it).
    const check = emulator.requests.slice(before).find((r) => r.route === 'list')!;
    assert.equal(check.query.limit, '1');
    const handle = await clients.get();
    assert.equal(handle?.keySource, 'secretStorage');
    // The store listed again by itself with the new key.
    await store.refresh();
    assert.equal(store.state.kind, 'ready');
  });

  it('a rejected key is not stored', async () => {
    ui.answer('input', /Paste your Anthropic API key/, 'sk-ant-wrong-0000000000');
    const saved = await vscode.commands.executeCommand<boolean>('claudeBatches.setApiKey');
    ui.verify();
    assert.equal(saved, false);
    assert.match(ui.messages('error')[0], /API key was rejected.*The key was not saved/);
    const { clients } = await extensionApi();
    assert.equal((await clients.get())?.keySource, 'environment');
  });

  it('clearing it falls back to ANTHROPIC_API_KEY and says so', async () => {
    ui.answer('input', /Paste/, storedKey);
    await vscode.commands.executeCommand('claudeBatches.setApiKey');
    await vscode.commands.executeCommand('claudeBatches.clearApiKey');
    const { clients } = await extensionApi();
    assert.equal((await clients.get())?.keySource, 'environment');
    assert.match(ui.messages('info').at(-1)!, /ANTHROPIC_API_KEY from the environment is used now/);
  });

  it('pasted with a stray line break: trimmed around the key, refused inside it, never shown', async () => {
    const { statusBar } = await extensionApi();
    const sent = emulator.requests.length;
    ui.answer('input', /Paste/, 'sk-ant-stray-line\nbreak-in-the-key-000');
    const saved = await vscode.commands.executeCommand<boolean>('claudeBatches.setApiKey');
    ui.verify();
    assert.equal(saved, false);
    assert.match(ui.messages('error').at(-1)!, /line break inside it \(character 18\).*The key was not saved/);
    assert.equal(emulator.requests.length, sent, 'a request went out with that key');

    // Around the key it is only trimmed: the API's refusal is what shows, never the key.
    ui.answer('input', /Paste/, 'sk-ant-wrong-stray-key-000\r\n');
    assert.equal(await vscode.commands.executeCommand<boolean>('claudeBatches.setApiKey'), false);
    ui.verify();
    assert.match(ui.messages('error').at(-1)!, /API key was rejected/);

    const tooltip = statusBar.tooltip;
    const shown = [
      ...ui.shown.map((s) => `${s.message}\n${s.detail ?? ''}`),
      typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? ''),
      statusBar.text,
    ];
    for (const text of shown) {
      for (const piece of ['stray-line', 'break-in-the-key', 'wrong-stray-key']) assert.ok(!text.includes(piece), `the key shows in: ${text}`);
    }
  });

  it('never appears in the logs, the settings or the messages', async () => {
    ui.answer('input', /Paste/, storedKey);
    await vscode.commands.executeCommand('claudeBatches.setApiKey');
    ui.answer('input', /Paste/, 'sk-ant-wrong-key-for-log-test');
    await vscode.commands.executeCommand('claudeBatches.setApiKey');
    const { logUri } = await extensionApi();
    const exthostLogs = path.dirname(logUri);
    const files = logFiles(exthostLogs);
    assert.ok(files.some((f) => /Claude Batches/.test(path.basename(f)) || f.includes('claude-batches')), `no log file of ours in ${exthostLogs}`);
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      assert.ok(!text.includes(storedKey), `the key appears in ${file}`);
      assert.ok(!text.includes('sk-ant-wrong-key-for-log-test'), `the rejected key appears in ${file}`);
      assert.ok(!text.includes(process.env.ANTHROPIC_API_KEY!), `the environment key appears in ${file}`);
    }
    const settings = JSON.stringify(vscode.workspace.getConfiguration('claudeBatches'));
    assert.ok(!settings.includes(storedKey));
    for (const shown of ui.shown) assert.ok(!`${shown.message} ${shown.detail ?? ''}`.includes(storedKey));
  });
});
