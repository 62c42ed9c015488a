import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { extensionApi, writeBatchFile, perTest } from './helpers';

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('watching batches: status bar and end notifications', () => {
  const t = perTest({ timing: 'manual' });

  it('the status bar follows the batch; the poller notices the end by itself; one notification', async () => {
    const { statusBar, endNotifications } = await extensionApi();
    const uri = writeBatchFile(3);
    t.ui.answer('confirm', /^Submit 3 requests/, 'Submit');
    const batch = await vscode.commands.executeCommand<{ id: string }>('claudeBatches.submitFile', uri);
    await until(() => statusBar.text === '$(sync~spin) 1 batch running', `"1 batch running", got "${statusBar.text}"`);
    // The file name is escaped Markdown (plain text), the rest is the extension's own.
    assert.match(String((statusBar.tooltip as vscode.MarkdownString).value), /batch\\-.*\\\.jsonl.*in progress for \d+s, expires in 23h 59m/);
    // A screen reader hears words, not the icon's name.
    assert.equal(statusBar.accessibilityInformation?.label, 'Claude Batches: 1 batch running. Activate to check now.');

    t.emulator.finish(batch.id);
    // The submit poked the poller: it checks again within a couple of seconds, without a refresh.
    await until(() => statusBar.text === '$(pass) 1 batch ended', `"1 batch ended", got "${statusBar.text}"`);
    await endNotifications.settled();
    const announced = t.ui.messages('info').filter((m) => /ended: 3 succeeded/.test(m));
    assert.deepEqual(announced.length, 1);
    assert.match(announced[0], /^"batch-.*\.jsonl" ended: 3 succeeded$/);
    assert.deepEqual(t.ui.shown.find((s) => s.message === announced[0])!.actions, ['Open Results', 'Save Results', "Don't Show Again"]);

    // Later refreshes do not announce it again.
    await vscode.commands.executeCommand('claudeBatches.refresh');
    await vscode.commands.executeCommand('claudeBatches.refresh');
    await endNotifications.settled();
    assert.equal(t.ui.messages('info').filter((m) => /ended: 3 succeeded/.test(m)).length, 1);
  });

  it('"Don\'t Show Again" turns end notifications off in user settings, says where to turn them on, and no later end is announced', async () => {
    const { endNotifications } = await extensionApi();
    const config = () => vscode.workspace.getConfiguration('claudeBatches');
    try {
      t.ui.answer('confirm', /^Submit 1 request/, 'Submit');
      const first = await vscode.commands.executeCommand<{ id: string }>('claudeBatches.submitFile', writeBatchFile(1));
      t.ui.answer('info', /ended: 1 succeeded\n/, "Don't Show Again");
      t.ui.answer('info', /^No more notifications when a batch ends/, undefined);
      t.emulator.finish(first.id);
      await vscode.commands.executeCommand('claudeBatches.refresh');
      await endNotifications.settled();
      await until(() => config().inspect<boolean>('notifyOnEnd')?.globalValue === false, `the setting turned off (shown: ${JSON.stringify(t.ui.shown.map((m) => [m.kind, m.message, m.actions]))})`);
      await until(() => t.ui.messages('info').some((m) => /claudeBatches\.notifyOnEnd/.test(m)), 'no word on how to turn them back on');

      t.ui.answer('confirm', /^Submit 2 requests/, 'Submit');
      const second = await vscode.commands.executeCommand<{ id: string }>('claudeBatches.submitFile', writeBatchFile(2));
      t.emulator.finish(second.id);
      await vscode.commands.executeCommand('claudeBatches.refresh');
      await endNotifications.settled();
      assert.equal(t.ui.messages('info').filter((m) => /ended: 2 succeeded/.test(m)).length, 0, 'an end was announced after Don\'t Show Again');
    } finally {
      await config().update('notifyOnEnd', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('the status bar says when the batches were last checked, and a click checks now', async () => {
    const { statusBar, polling } = await extensionApi();
    const uri = writeBatchFile(2);
    t.ui.answer('confirm', /^Submit 2 requests/, 'Submit');
    await vscode.commands.executeCommand('claudeBatches.submitFile', uri);
    await until(() => polling.lastCheckedAt !== undefined, 'a first check after the submit');
    const tooltip = () => String((statusBar.tooltip as vscode.MarkdownString).value);
    await until(() => /Last checked \d+s ago, next check at .*\. Click to check now\./.test(tooltip()), `"Last checked", got ${tooltip()}`);
    assert.equal(statusBar.command && typeof statusBar.command === 'object' ? statusBar.command.command : statusBar.command, 'claudeBatches.checkNow');

    // The poller waits 30 s now; the click brings the check within a second or two.
    const checked = polling.lastCheckedAt!;
    const before = t.emulator.requests.length;
    await vscode.commands.executeCommand('claudeBatches.checkNow');
    await until(() => (polling.lastCheckedAt ?? 0) > checked, 'a check right after the click', 5_000);
    assert.ok(t.emulator.requests.slice(before).some((r) => r.route === 'list' || r.route === 'retrieve'), 'the click made a request');
  });

  it('a batch with failures is announced as a warning with its counts', async () => {
    const { endNotifications, store } = await extensionApi();
    const failing = t.emulator.createBatch([
      { custom_id: 'ok', params: { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'fine' }] } },
      { custom_id: 'bad', params: { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x [[emulator:api_error]]' }] } },
      { custom_id: 'late', params: { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x [[emulator:expired]]' }] } },
    ]);
    await store.refresh();
    t.emulator.finish(failing.id);
    await store.refresh();
    await endNotifications.settled();
    assert.ok(t.ui.messages('warn').includes(`"${failing.id}" ended: 1 succeeded, 1 errored, 1 expired`), JSON.stringify(t.ui.shown));
  });

  it('many batches ending at once get one summary notification', async () => {
    const { endNotifications, store } = await extensionApi();
    const ids = Array.from({ length: 6 }, (_, i) =>
      t.emulator.createBatch([{ custom_id: `r${i}`, params: { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] } }]).id,
    );
    await store.refresh();
    for (const id of ids) t.emulator.finish(id);
    await store.refresh();
    await endNotifications.settled();
    const ended = t.ui.shown.filter((s) => / ended/.test(s.message));
    assert.deepEqual(ended.map((s) => s.message), ['6 batches ended: 6 succeeded']);
    assert.deepEqual(ended[0].actions, ['Show Batches', "Don't Show Again"]);
  });

  it('polling failures show a warning look with the reason, once, and it recovers by itself', async () => {
    const { statusBar, polling, store } = await extensionApi();
    const running = t.emulator.createBatch([{ custom_id: 'a', params: { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] } }]);
    await store.refresh();
    await until(() => statusBar.text === '$(sync~spin) 1 batch running', 'running');
    t.emulator.faults.add({ route: 'list', status: 529, times: 50 });
    t.emulator.faults.add({ route: 'retrieve', status: 529, times: 50 });
    polling.poke();
    await until(() => polling.state.kind === 'failing', 'the poller to fail');
    assert.equal(statusBar.text, '$(warning) 1 batch running');
    assert.ok(statusBar.backgroundColor, 'no warning background');
    assert.match((statusBar.tooltip as vscode.MarkdownString).value, /Checking on batches is failing:\*\* .*overloaded/);
    assert.equal(t.ui.shown.filter((s) => s.kind === 'error').length, 0, 'polling failures must not raise error notifications');
    t.emulator.faults.clear();
    t.emulator.finish(running.id);
    polling.poke();
    await until(() => polling.state.kind !== 'failing', 'recovery');
    await until(() => statusBar.text === '$(pass) 1 batch ended', `ended, got ${statusBar.text}`);
    assert.equal(statusBar.backgroundColor, undefined);
  });
});
