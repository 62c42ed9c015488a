import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { extensionApi, perTest, workspaceDir } from './helpers';

const request = (id: string, text = `question ${id}`, maxTokens = 64) => ({
  custom_id: id,
  params: { model: 'claude-sonnet-4-5', max_tokens: maxTokens, messages: [{ role: 'user', content: text }] },
});

type T = ReturnType<typeof perTest>;

/** Submits the requests from a file of the workspace, ends the batch, and opens its results. */
async function openBatch(t: T, name: string, requests: ReturnType<typeof request>[]): Promise<{ id: string; uri: vscode.Uri }> {
  const file = path.join(workspaceDir(), name);
  fs.writeFileSync(file, `${requests.map((r) => JSON.stringify(r)).join('\n')}\n`);
  t.ui.answer('confirm', new RegExp(`^Submit ${requests.length} requests from ${name.replace('.', '\\.')}`), 'Submit');
  const batch = await vscode.commands.executeCommand<{ id: string }>('claudeBatches.submitFile', vscode.Uri.file(file));
  t.emulator.finish(batch.id);
  await (await extensionApi()).store.refresh();
  const uri = await vscode.commands.executeCommand<vscode.Uri>('claudeBatches.openResults', batch.id);
  return { id: batch.id, uri };
}

/** Every file its own content: a file sent again with the same content asks first. */
const mixed = (name: string) => [
  request('ok-1', `question 1 of ${name}`),
  request('ok-2'),
  request('server-1', 'x [[emulator:api_error]]'),
  request('busy-1', 'x [[emulator:overloaded_error]]'),
  request('fix-1', 'x [[emulator:invalid_request_error]]'),
  request('late-1', 'x [[emulator:expired]]'),
  request('ok-3'),
];

/** Symbol names as a tree: a leaf by its name, a parent as {name: children}. */
const shape = (symbols: vscode.DocumentSymbol[]): unknown[] => symbols.map((s) => (s.children.length ? { [s.name]: shape(s.children) } : s.name));

describe('results: in full, Outline, Go to custom_id, filter, index', () => {
  const t = perTest({ timing: 'manual' });
  const config = () => vscode.workspace.getConfiguration('claudeBatches');
  afterEach(async () => {
    await config().update('results.entriesPerSection', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the Outline lists sections, error types and the entries shown, by custom_id, on their lines', async () => {
    await config().update('results.entriesPerSection', 2, vscode.ConfigurationTarget.Global);
    const { uri } = await openBatch(t, 'outline.jsonl', mixed('outline'));
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri);
    assert.deepEqual(shape(symbols), [
      { Succeeded: ['ok-1', 'ok-2'] },
      { Errored: [{ invalid_request_error: ['fix-1'] }, { api_error: ['server-1'] }, { overloaded_error: ['busy-1'] }] },
      { Expired: ['late-1'] },
      'Canceled',
    ]);
    assert.equal(symbols[0].detail, '2 of 3 shown');
    const document = vscode.window.activeTextEditor!.document;
    const entry = symbols[0].children[1];
    assert.ok(document.lineAt(entry.selectionRange.start.line).text.startsWith('▸ ok-2 '));
  });

  it('Go to custom_id… selects an entry the document shows, and opens one it does not show in full', async () => {
    await config().update('results.entriesPerSection', 1, vscode.ConfigurationTarget.Global);
    const { id, uri } = await openBatch(t, 'goto.jsonl', mixed('goto'));
    t.ui.answer('pick', /^Go to which custom_id\? \(7 results\)/, 'late-1');
    assert.equal((await vscode.commands.executeCommand<vscode.Uri>('claudeBatches.goToCustomId'))?.toString(), uri.toString());
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.toString(), uri.toString());
    assert.ok(editor.document.lineAt(editor.selection.start.line).text.startsWith('▸ late-1 '), editor.document.lineAt(editor.selection.start.line).text);

    t.ui.answer('pick', /^Go to which custom_id\?/, 'ok-3');
    const full = await vscode.commands.executeCommand<vscode.Uri>('claudeBatches.goToCustomId');
    assert.equal(full?.scheme, 'claude-batches');
    assert.match(full!.path, new RegExp(`^/result/${id}/ok-3\\.md$`));
    const text = vscode.window.activeTextEditor!.document.getText();
    assert.match(text, /^# ok\\-3\n/);
    assert.ok(text.includes('Emulated reply to: question ok-3'), text);
    t.ui.verify();
  });

  it('Open in Full: each entry has a CodeLens opening the whole result, every kind of content block, nothing cut; and its raw JSON', async () => {
    const long = `${'A long answer. '.repeat(600)}The end. [[emulator:echo]]`;
    const { id, uri } = await openBatch(t, 'full.jsonl', [request('blocks-1', 'Everything [[emulator:blocks]]', 1000), request('long-1', long, 10_000), request('ok-1')]);
    const document = vscode.window.activeTextEditor!.document;
    assert.match(document.getText(), /more characters: "Open in Full" above the entry shows all of it/, 'the document cuts the long reply');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const open = lenses.filter((l) => l.command?.command === 'claudeBatches.openResultInFull');
    assert.deepEqual(open.map((l) => l.command!.title), ['Open in Full', 'Open in Full', 'Open in Full']);
    for (const lens of open) assert.ok(document.lineAt(lens.range.start.line).text.startsWith(`▸ ${String(lens.command!.arguments![1])} `));
    const run = async (customId: string) => {
      const lens = open.find((l) => l.command!.arguments![1] === customId)!;
      return vscode.commands.executeCommand<vscode.Uri>(lens.command!.command, ...lens.command!.arguments!);
    };

    const blocks = await run('blocks-1');
    const shown = vscode.window.activeTextEditor!.document;
    assert.equal(shown.uri.toString(), blocks.toString());
    assert.equal(shown.languageId, 'markdown');
    const text = shown.getText();
    for (const expected of [
      '**Thinking**\n\n> Let me think about the capital.\n> It is Paris.',
      '**Redacted thinking**: 24 characters of encrypted data, not shown.',
      'The capital of France is **Paris**.',
      '**Citations**',
      '“Paris is the capital of France” — Atlas',
      '“Paris\\, capital city” — Paris \\- Wikipedia, https\\:\\/\\/en\\.wikipedia\\.org\\/wiki\\/Paris',
      '**Tool call**: get\\_weather (toolu\\_emulated)',
      '"city": "Paris"',
      '**Server tool call**: web\\_search (srvtoolu\\_emulated)',
      '**Web search results** for srvtoolu\\_emulated',
      '1. Paris \\[click\\]\\(https\\:\\/\\/evil\\.example\\) — https\\:\\/\\/example\\.com\\/paris (2 days ago)',
      '**Web fetch**: https\\:\\/\\/example\\.com\\/page',
      '````text\nFetched page text.\n```\n<script>alert(1)</script>\n````',
      '**Code execution**: return code 0',
      '```text\nhello from python\n```',
      '**Bash**: return code 2',
      'ls: cannot access nowhere',
    ]) {
      assert.ok(text.includes(expected), `${JSON.stringify(expected)} is not in\n${text}`);
    }

    await run('long-1');
    assert.ok(vscode.window.activeTextEditor!.document.getText().includes(long), 'the whole reply, not cut');

    const fullLenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', blocks);
    assert.deepEqual(fullLenses.map((l) => l.command?.title), ['Show Raw JSON']);
    const json = await vscode.commands.executeCommand<vscode.Uri>(fullLenses[0].command!.command, ...fullLenses[0].command!.arguments!);
    const raw = vscode.window.activeTextEditor!.document;
    assert.equal(raw.uri.toString(), json.toString());
    assert.equal(raw.languageId, 'json');
    const line = JSON.parse(raw.getText()) as { custom_id: string; result: { message: { content: { type: string }[] } } };
    assert.equal(line.custom_id, 'blocks-1');
    assert.equal(line.result.message.content.length, 9);
    const back = await vscode.commands.executeCommand<vscode.Uri>('claudeBatches.toggleResultView');
    assert.equal(back?.path, blocks.path);

    // From the palette: a pick among the results of the active document.
    await vscode.commands.executeCommand('vscode.open', uri);
    t.ui.answer('pick', /^Open which result in full\? \(3 results\)/, 'ok-1');
    const picked = await vscode.commands.executeCommand<vscode.Uri>('claudeBatches.openResultInFull');
    assert.match(picked!.path, new RegExp(`^/result/${id}/ok-1\\.md$`));
    t.ui.verify();
  });

  it('a forged result URI opens as "not a results document"; a place that holds another result is not trusted', async () => {
    const { id } = await openBatch(t, 'forged.jsonl', [request('a-1'), request('b-1', 'question b of forged')]);
    for (const forged of [
      'claude-batches:/result/..%2F..%2Fetc/x.md?id=a-1',
      `claude-batches:/result/${id}/x.md`,
      `claude-batches:/result/${id}/x.md?id=a-1&id=b-1`,
      `claude-batches:/result/${id}/x.md?id=a-1&at=-5-3`,
      `claude-batches:/result/${id}/x.txt?id=a-1`,
    ]) {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(forged));
      assert.match(document.getText(), /^Not a results document: /, forged);
    }
    const missing = await vscode.workspace.openTextDocument(vscode.Uri.parse(`claude-batches:/result/${id}/nope.md?id=nope`));
    assert.match(missing.getText(), /^No result with custom\\_id \\"nope\\" in the local copy/);
    // The place of b-1, named for a-1: the line there is not a-1's, so a-1 is looked up instead.
    const { resultsDocuments } = await extensionApi();
    const entries = resultsDocuments.structure(vscode.window.activeTextEditor!.document.uri)!.entries;
    const b = entries.find((e) => e.customId === 'b-1')!;
    const wrong = await vscode.workspace.openTextDocument(vscode.Uri.parse(`claude-batches:/result/${id}/a-1.md?id=a-1&at=${b.at!.offset}-${b.at!.length}`));
    assert.match(wrong.getText(), /^# a\\-1\n/);
    assert.ok(wrong.getText().includes('Emulated reply to: question a-1'), wrong.getText());
  });

  it('Filter Results… opens the same document showing one error type only; All results removes the filter', async () => {
    const { uri } = await openBatch(t, 'filter.jsonl', mixed('filter'));
    t.ui.answer('pick', /^Show which results of "filter\.jsonl"\?/, (items: (vscode.QuickPickItem & { section?: string })[]) => items.find((i) => i.section === 'errored:api_error'));
    const filtered = await vscode.commands.executeCommand<vscode.Uri>('claudeBatches.filterResults');
    assert.equal(new URLSearchParams(filtered!.query).get('section'), 'errored:api_error');
    const text = vscode.window.activeTextEditor!.document.getText();
    assert.ok(text.includes('▸ server-1 '), text);
    for (const other of ['ok-1', 'busy-1', 'fix-1', 'late-1']) assert.ok(!text.includes(`▸ ${other} `), `${other} is filtered out`);
    t.ui.answer('pick', /^Show which results/, 'All results');
    const all = await vscode.commands.executeCommand<vscode.Uri>('claudeBatches.filterResults');
    assert.equal(all?.toString(), uri.toString());
    t.ui.verify();
  });

  it('reopening reads the index kept beside the copy; a damaged index is made again and the document is the same', async () => {
    const { id, uri } = await openBatch(t, 'index.jsonl', mixed('index'));
    const { results } = await extensionApi();
    const files = results.archive.indexFiles(id);
    const first = vscode.window.activeTextEditor!.document.getText();
    const written = fs.readFileSync(files.summary);
    const madeOnce = fs.statSync(files.summary);
    // What VS Code asks for when the document is opened again (an open document is not asked for twice).
    const reopen = async () => (await results.render(id)).text;
    assert.equal(await reopen(), first);
    assert.ok(sameFile(files.summary, madeOnce), 'the index was used as it was, not written again');

    const damaged = Buffer.from(written);
    damaged[damaged.length - 3] ^= 1;
    fs.writeFileSync(files.summary, damaged);
    assert.equal(await reopen(), first, 'the damaged index was used');
    assert.ok(fs.readFileSync(files.summary).equals(written), 'the index was made again from the copy');

    fs.rmSync(files.summary);
    fs.rmSync(files.entries);
    assert.equal(await reopen(), first);
    assert.ok(fs.existsSync(files.summary) && fs.existsSync(files.entries), 'a missing index is made again');
    assert.equal(vscode.window.activeTextEditor!.document.uri.toString(), uri.toString());
  });

  it('a section on its own (a filter) is read through the index; a damaged or missing index is made again and the section is the same', async () => {
    const { id } = await openBatch(t, 'section-index.jsonl', mixed('section-index'));
    const { results } = await extensionApi();
    const files = results.archive.indexFiles(id);
    const written = fs.readFileSync(files.summary);
    const madeOnce = fs.statSync(files.summary);
    const section = async () => (await results.render(id, 'errored')).text;
    const first = await section();
    for (const shown of ['server-1', 'busy-1', 'fix-1']) assert.ok(first.includes(`▸ ${shown} `), first);
    assert.ok(!first.includes('▸ ok-1 ') && first.includes('prompt: x [[emulator:api_error]] (source line 3)'), first);
    assert.ok(sameFile(files.summary, madeOnce), 'the index was used as it was, not written again');

    // A byte of the part that says where each section's entries are (the middle part of the file).
    const nl = written.indexOf(10);
    const parts = (JSON.parse(written.toString('utf8', 0, nl)) as { parts: { name: string; length: number }[] }).parts;
    const sectionsAt = nl + 1 + parts[0].length;
    assert.equal(parts[1].name, 'sections');
    const damaged = Buffer.from(written);
    damaged[sectionsAt + Math.floor(parts[1].length / 2)] ^= 1;
    fs.writeFileSync(files.summary, damaged);
    assert.equal(await section(), first, 'the damaged index was used');
    assert.ok(fs.readFileSync(files.summary).equals(written), 'the index was made again from the copy');

    fs.rmSync(files.summary);
    fs.rmSync(files.entries);
    assert.equal(await section(), first);
    assert.ok(fs.existsSync(files.summary) && fs.existsSync(files.entries), 'a missing index is made again by a section on its own');
    assert.equal(await section(), first);
  });
});

/**
 * The same file as before, not one written again (an index made again is byte for byte the same,
 * so only its inode and modification time tell: it replaces the old one by a rename).
 */
function sameFile(file: string, before: fs.Stats): boolean {
  const now = fs.statSync(file);
  return now.ino === before.ino && now.mtimeMs === before.mtimeMs;
}
