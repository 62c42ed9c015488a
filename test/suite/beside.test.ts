import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { extensionApi, perTest, workspaceDir } from './helpers';

const request = (id: string, text = `question ${id}`) => ({
  custom_id: id,
  params: { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: text }] },
});

/** Writes a batch file, submits it from this machine, and ends the batch. */
async function submitEnded(t: ReturnType<typeof perTest>, name: string, requests: ReturnType<typeof request>[]): Promise<{ id: string; file: string }> {
  const file = path.join(workspaceDir(), name);
  fs.writeFileSync(file, `${requests.map((r) => JSON.stringify(r)).join('\n')}\n`);
  t.ui.answer('confirm', new RegExp(`^Submit ${requests.length} requests? from ${name.replace(/\./g, '\\.')}`), 'Submit');
  const batch = await vscode.commands.executeCommand<{ id: string }>('claudeBatches.submitFile', vscode.Uri.file(file));
  assert.ok(batch, `${name} was not submitted: ${JSON.stringify(t.ui.shown)}`);
  t.emulator.finish(batch.id);
  await (await extensionApi()).store.refresh();
  return { id: batch.id, file };
}

const mixed = (tag: string) => [
  request('ok-1', `question 1 of ${tag}`),
  request('ok-2', `question 2 of ${tag}`),
  request('server-1', 'x [[emulator:api_error]]'),
  request('late-1', 'x [[emulator:expired]]'),
];

/** The text of a hover's contents, as it reads (Markdown escapes taken out). */
const hoverText = (hovers: vscode.Hover[]) =>
  hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1');

const labelOf = (hint: vscode.InlayHint) => (typeof hint.label === 'string' ? hint.label : hint.label.map((p) => p.value).join(''));

/** Waits for a condition the editor reaches on its own (bounded). */
async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('answers beside their prompts', () => {
  const t = perTest({ timing: 'manual' });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it("a results entry links to its request's line in the batch file, and following the link opens the file at that line", async () => {
    const { id, file } = await submitEnded(t, 'beside-links.jsonl', mixed('links'));
    const uri = await vscode.commands.executeCommand<vscode.Uri>('claudeBatches.openResults', id);
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', uri);
    const toSource = links.filter((l) => l.target?.scheme === 'file');
    const document = vscode.window.activeTextEditor!.document;
    const byId = new Map(
      toSource.map((l) => {
        // The entry heading above the link names the request.
        let line = l.range.start.line;
        while (line > 0 && !document.lineAt(line).text.startsWith('▸ ')) line--;
        return [document.lineAt(line).text.slice(2).split(' · ')[0], l.target!];
      }),
    );
    assert.deepEqual([...byId.keys()].sort(), ['late-1', 'ok-1', 'ok-2', 'server-1']);
    for (const [customId, line] of [['ok-1', 1], ['ok-2', 2], ['server-1', 3], ['late-1', 4]] as const) {
      const target = byId.get(customId)!;
      assert.equal(target.fsPath, file);
      assert.equal(target.fragment, `L${line}`, `${customId} links to line ${line}`);
    }
    for (const link of toSource) assert.equal(document.getText(link.range).startsWith('source line '), true);

    await vscode.commands.executeCommand('vscode.open', byId.get('server-1'));
    const editor = await until('the batch file to open', () => (vscode.window.activeTextEditor?.document.uri.fsPath === file ? vscode.window.activeTextEditor : undefined));
    await until('the cursor on line 3', () => (editor.selection.active.line === 2 ? true : undefined));
  });

  it('a batch file edited since it was submitted gets no links; the results document says why', async () => {
    const { id, file } = await submitEnded(t, 'beside-edited.jsonl', mixed('edited'));
    fs.appendFileSync(file, `${JSON.stringify(request('new-1'))}\n`);
    const uri = await vscode.commands.executeCommand<vscode.Uri>('claudeBatches.openResults', id);
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', uri);
    assert.deepEqual(links.filter((l) => l.target?.scheme === 'file'), []);
    assert.match(vscode.window.activeTextEditor!.document.getText(), /edited since it was submitted: its line numbers may name other requests/);
  });

  it('once the results are local, the batch file shows them: a lens at the top, a hint and a hover on each request line', async () => {
    const { id, file } = await submitEnded(t, 'beside-answers.jsonl', mixed('answers'));
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document);
    // Before the results are here: nothing beside the requests.
    assert.equal((await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', document.uri, new vscode.Range(0, 0, 4, 0))).length, 0);
    await vscode.commands.executeCommand('claudeBatches.openResults', id);

    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(titles.some((title) => title.endsWith('2 ✓ 1 ✗ 1 expired')), `lenses: ${titles.join(' | ')}`);
    assert.ok(titles.includes('open results') && titles.includes('retry failed'), `lenses: ${titles.join(' | ')}`);
    const retry = lenses.find((l) => l.command?.title === 'retry failed')!.command!;
    assert.deepEqual([retry.command, retry.arguments], ['claudeBatches.retryFailed', [id]]);

    const hover = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(1, 5)));
    assert.match(hover, /\*\*ok-2\*\*/);
    assert.match(hover, /succeeded · end_turn · \d+ in \/ \d+ out tokens/);
    assert.match(hover, /Emulated reply to: question 2 of answers/);
    assert.match(hover, new RegExp(`command:claudeBatches\\.openResults\\?${encodeURIComponent(JSON.stringify([id])).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    // And the answer whole, from its own link.
    assert.match(hover, new RegExp(`command:claudeBatches\\.openResultInFull\\?${encodeURIComponent(JSON.stringify([id, 'ok-2'])).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const full = await vscode.commands.executeCommand<vscode.Uri>('claudeBatches.openResultInFull', id, 'ok-2');
    assert.match((await vscode.workspace.openTextDocument(full)).getText(), /Emulated reply to: question 2 of answers/);
    const failed = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(2, 5)));
    assert.match(failed, /errored · api_error/);

    const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', document.uri, new vscode.Range(0, 0, 4, 0));
    const labels = hints.map((h) => [h.position.line, labelOf(h)] as const);
    assert.deepEqual(
      labels.map(([line]) => line),
      [0, 1, 2, 3],
    );
    assert.match(labels[0][1], /^✓ end_turn · Emulated reply to: question 1 of answers/);
    assert.match(labels[2][1], /^✗ api_error · /);
    assert.equal(labels[3][1], 'expired');
    for (const hint of hints) assert.equal(hint.position.character, document.lineAt(hint.position.line).text.length, 'at the end of its line');

    // Edited since submission: said once, nothing guessed.
    const editor = await vscode.window.showTextDocument(document);
    assert.ok(await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), `${JSON.stringify(request('inserted'))}\n`)));
    const edited = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    assert.ok(edited.some((l) => /edited since submission/.test(l.command?.title ?? '')));
    assert.equal((await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', document.uri, new vscode.Range(0, 0, 5, 0))).length, 0);
    const editedHover = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(2, 5)));
    assert.match(editedHover, /was edited since it was submitted/);
    assert.doesNotMatch(editedHover, /Emulated reply/);
  });

  it('compares two batches in a diff editor aligned by custom_id: both sides list every id once, a missing one says so', async () => {
    const a = await submitEnded(t, 'compare-a.jsonl', [request('c-1', 'same'), request('c-2', 'first wording'), request('c-3', 'x [[emulator:api_error]]')]);
    const b = await submitEnded(t, 'compare-b.jsonl', [request('c-2', 'second wording'), request('c-3', 'fine now'), request('c-4', 'new one')]);
    // As the Batches view passes a multi-selection: the clicked row, then the selected rows.
    const uris = await vscode.commands.executeCommand<vscode.Uri[]>('claudeBatches.compareResults', a.id, [a.id, b.id]);
    assert.equal(uris.length, 2);
    const tab = await until('the diff editor', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputTextDiff ? input : undefined;
    });
    assert.equal(tab.original.toString(), uris[0].toString());
    assert.equal(tab.modified.toString(), uris[1].toString());
    const [left, right] = await Promise.all(uris.map(async (u) => (await vscode.workspace.openTextDocument(u)).getText().split('\n')));
    assert.equal(left.length, right.length, 'both sides have as many lines');
    const headings = (lines: string[]) => lines.filter((l) => l.startsWith('▸ '));
    assert.deepEqual(
      headings(left).map((l) => l.split(' · ')[0]),
      ['▸ c-1', '▸ c-2', '▸ c-3', '▸ c-4'],
    );
    for (let i = 0; i < left.length; i++) {
      if (left[i].startsWith('▸ ')) assert.equal(right[i].split(' · ')[0], left[i].split(' · ')[0], `line ${i + 1} names the same id on both sides`);
    }
    assert.ok(left.includes('▸ c-4 · (not in this batch)'));
    assert.ok(right.includes('▸ c-1 · (not in this batch)'));
    assert.ok(left.includes('▸ c-3 · errored: api_error'));
    assert.match(left.join('\n'), /Changed +1 answers differ · 1 ended another way · 1 only in this batch · 1 only in the other · 2 in both/);
    assert.match(right.join('\n'), /Cost +<?\$.* at batch prices \(estimate/);

    // From the palette: two picks; with usage on, each answer says its tokens.
    await vscode.workspace.getConfiguration('claudeBatches').update('compare.withUsage', true, vscode.ConfigurationTarget.Global);
    try {
      t.ui.answer('pick', /first batch to compare/, b.id);
      t.ui.answer('pick', /to compare with/, a.id);
      const picked = await vscode.commands.executeCommand<vscode.Uri[]>('claudeBatches.compareResults');
      t.ui.verify();
      const text = (await vscode.workspace.openTextDocument(picked[0])).getText();
      assert.match(text, /^Compare \(left\): "compare-b\.jsonl"/);
      assert.match(text, /▸ c-4 · succeeded · end_turn · claude-sonnet-4-5 · \d+ in \/ \d+ out tokens/);
    } finally {
      await vscode.workspace.getConfiguration('claudeBatches').update('compare.withUsage', undefined, vscode.ConfigurationTarget.Global);
    }

    const three = await vscode.commands.executeCommand('claudeBatches.compareResults', a.id, [a.id, b.id, a.id]);
    assert.equal(three, undefined);
    assert.match(t.ui.messages('info').at(-1) ?? '', /3 batches are selected: select two/);
  });

  it('Usage adds up the tokens and cost of the batches whose results are here, per model and day, read from the file kept next to each copy', async () => {
    const { results } = await extensionApi();
    for (const copy of await results.archive.list()) await results.deleteLocal(copy.batchId);
    const first = await submitEnded(t, 'usage-a.jsonl', [request('u-1', 'one'), request('u-2', 'two two two two')]);
    const second = await submitEnded(t, 'usage-b.jsonl', [request('u-3', 'three'), request('u-4', 'x [[emulator:api_error]]')]);
    for (const id of [first.id, second.id]) await vscode.commands.executeCommand('claudeBatches.openResults', id);
    // What the emulator answered, summed from the downloaded results themselves.
    let input = 0;
    let output = 0;
    for (const id of [first.id, second.id]) {
      const status = (await results.archive.status(id))!;
      assert.ok(fs.existsSync(results.archive.usagePath(id)), 'the download kept the usage next to its copy');
      for (const line of fs.readFileSync(status.path, 'utf8').trim().split('\n')) {
        const usage = (JSON.parse(line) as { result: { message?: { usage: { input_tokens: number; output_tokens: number } } } }).result.message?.usage;
        input += usage?.input_tokens ?? 0;
        output += usage?.output_tokens ?? 0;
      }
    }
    assert.ok(input > 0 && output > 0);
    const uri = await vscode.commands.executeCommand<vscode.Uri>('claudeBatches.showUsage');
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.toString(), uri.toString());
    assert.equal(editor.document.languageId, 'markdown');
    const text = editor.document.getText();
    assert.match(text, /Estimates/);
    const all = text.split('\n').find((l) => l.startsWith('| All |'))!;
    assert.ok(all.startsWith(`| All | 2 | 3 | ${input} | ${output} | 0 | 0 | `), all);
    assert.match(all, /\(50%\) \|$/);
    assert.ok(text.split('\n').some((l) => l.startsWith('| claude-sonnet-4-5 | 2 | 3 | ')));
    assert.match(text, /## Per day\n\n.*\n.*\n\| \d{4}-\d{2}-\d{2} \| 2 \| 3 \|/);
  });
});
