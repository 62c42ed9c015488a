// Which .jsonl files are batch files: fine-tuning data, logs and saved results are JSONL too, and
// must get no problems, no Submit lens and no batch language; batch files still get all of them.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { extensionApi, perTest, workspaceDir } from './helpers';

const request = (id: string) => ({ custom_id: id, params: { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: `question ${id}` }] } });
const jsonl = (values: unknown[]) => `${values.map((v) => JSON.stringify(v)).join('\n')}\n`;

const OTHER_JSONL: Record<string, string> = {
  'chat-finetune.jsonl': jsonl([
    { messages: [{ role: 'system', content: 'Be terse.' }, { role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello.' }] },
    { messages: [{ role: 'user', content: 'Bye' }, { role: 'assistant', content: 'Bye.' }] },
  ]),
  'server-log.jsonl': jsonl([{ level: 'info', time: '2026-01-01T00:00:00Z', msg: 'started' }, { level: 'error', msg: 'failed' }]),
  'eval-set.jsonl': jsonl([{ input: '2+2?', ideal: '4' }]),
  'empty.jsonl': '',
};

function write(name: string, text: string): vscode.Uri {
  const file = path.join(workspaceDir(), name);
  fs.writeFileSync(file, text);
  return vscode.Uri.file(file);
}

const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Claude Batches');

async function submitLenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  return lenses.filter((l) => l.command?.command === 'claudeBatches.submitFile' || /problems? to fix first/.test(l.command?.title ?? ''));
}

async function until<T>(what: string, read: () => T | Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() - started > 10_000) throw new Error(`${what} never happened; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const languageOf = (uri: vscode.Uri) => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.languageId;

/**
 * Opens the files, then a batch file with a mistake, and waits for that one's problems: the
 * extension handles documents in the order they open, so by then it has decided about the others.
 */
async function openAndSettle(uris: vscode.Uri[]): Promise<void> {
  for (const uri of uris) await vscode.window.showTextDocument(uri, { preview: false });
  const sentinel = write(`sentinel-${Date.now()}.jsonl`, jsonl([request('same'), request('same')]));
  await vscode.window.showTextDocument(sentinel, { preview: false });
  await until('the sentinel batch file gets its problems', () => ours(sentinel).length, (n) => n > 0);
  await new Promise((r) => setTimeout(r, 400));
}

async function expectNotFlagged(uri: vscode.Uri): Promise<void> {
  const name = path.basename(uri.fsPath);
  assert.deepEqual(ours(uri).map((d) => d.message), [], `${name} got problems`);
  assert.deepEqual((await submitLenses(uri)).map((l) => l.command?.title), [], `${name} got a Submit lens`);
  assert.notEqual(languageOf(uri), 'claude-batch', `${name} got the batch language`);
}

describe('batch files and other JSONL', () => {
  before(async () => {
    await extensionApi();
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('JSONL that is not a batch file (chat fine-tuning, logs, eval sets, an empty file) gets no problems, no lens, no batch language', async () => {
    const uris = Object.entries(OTHER_JSONL).map(([name, text]) => write(name, text));
    await openAndSettle(uris);
    for (const uri of uris) await expectNotFlagged(uri);
    assert.equal(languageOf(uris[0]), 'jsonl', 'a .jsonl file keeps the JSON Lines language');
  });

  it('a batch file gets the Claude Batch (JSONL) language, its problems and the Submit lens', async () => {
    const uri = write('batch-language.jsonl', jsonl([request('a'), request('a')]));
    await vscode.window.showTextDocument(uri);
    await until('the batch language', () => languageOf(uri), (id) => id === 'claude-batch');
    const problems = await until('its problems', () => ours(uri), (d) => d.length > 0);
    assert.deepEqual(problems.map((d) => d.code), ['duplicate-custom-id']);
    const lenses = await until('its lenses', () => submitLenses(uri), (l) => l.length === 2);
    assert.match(lenses[0].command!.title, /Submit as batch · 2 requests/);
  });

  it('a file that stops being a batch file loses its problems and gets its language back; one the user takes the batch language from stays as chosen', async () => {
    const uri = write('batch-then-not.jsonl', jsonl([request('a'), request('a')]));
    const editor = await vscode.window.showTextDocument(uri);
    await until('the batch language', () => languageOf(uri), (id) => id === 'claude-batch');
    await until('its problems', () => ours(uri), (d) => d.length > 0);
    const all = new vscode.Range(0, 0, editor.document.lineCount, 0);
    await vscode.window.activeTextEditor!.edit((e) => e.replace(all, jsonl([{ messages: [] }, { messages: [] }])));
    await until('the JSON Lines language back', () => languageOf(uri), (id) => id === 'jsonl');
    await until('no problems', () => ours(uri), (d) => d.length === 0);
    assert.deepEqual(await submitLenses(uri), []);

    const chosen = write('batch-declined.jsonl', jsonl([request('b'), request('b')]));
    await vscode.window.showTextDocument(chosen);
    await until('the batch language', () => languageOf(chosen), (id) => id === 'claude-batch');
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === chosen.toString())!;
    await vscode.languages.setTextDocumentLanguage(document, 'jsonl');
    await until('no problems once the user chose JSON Lines', () => ours(chosen), (d) => d.length === 0);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(languageOf(chosen), 'jsonl', 'the extension switched the language back over the user');
  });

  it('any file whose language the user sets to Claude Batch (JSONL) is checked, even an empty one or one that is not requests', async () => {
    const uri = write('chosen-by-hand.jsonl', jsonl([{ messages: [] }]));
    const editor = await vscode.window.showTextDocument(uri);
    await openAndSettle([]);
    await expectNotFlagged(uri);
    await vscode.languages.setTextDocumentLanguage(editor.document, 'claude-batch');
    const problems = await until('its problems', () => ours(uri), (d) => d.length > 0);
    assert.ok(problems.some((d) => d.code === 'missing-custom-id'), JSON.stringify(problems.map((d) => d.code)));
  });

  it('claudeBatches.batchFiles.exclude and .include decide for the files they name', async () => {
    const config = vscode.workspace.getConfiguration('claudeBatches');
    const excluded = write('never.batch-excluded.jsonl', jsonl([request('a'), request('a')]));
    const included = write('always.batch-included.jsonl', '');
    try {
      await config.update('batchFiles.exclude', ['*.batch-excluded.jsonl'], vscode.ConfigurationTarget.Workspace);
      await config.update('batchFiles.include', ['**/*.batch-included.jsonl'], vscode.ConfigurationTarget.Workspace);
      await openAndSettle([excluded, included]);
      await expectNotFlagged(excluded);
      await until('the batch language for an included empty file', () => languageOf(included), (id) => id === 'claude-batch');
      await config.update('batchFiles.exclude', undefined, vscode.ConfigurationTarget.Workspace);
      await until('the excluded file checked once the setting is gone', () => ours(excluded).length, (n) => n > 0);
    } finally {
      await config.update('batchFiles.exclude', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('batchFiles.include', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  describe('with the API', () => {
    const t = perTest({ timing: 'manual' });

    it('results saved by the extension are not a batch file: no problems, no lens', async () => {
      const file = write('saved-source.jsonl', jsonl([request('ok-1'), { ...request('bad-1'), params: { ...request('bad-1').params, messages: [{ role: 'user', content: 'x [[emulator:api_error]]' }] } }]));
      t.ui.answer('confirm', /^Submit 2 requests from saved-source\.jsonl/, 'Submit');
      const batch = await vscode.commands.executeCommand<{ id: string }>('claudeBatches.submitFile', file);
      t.emulator.finish(batch.id);
      await (await extensionApi()).store.refresh();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-saved-'));
      const saved: vscode.Uri[] = [];
      for (const form of ['Results only', 'Joined with the requests']) {
        const target = vscode.Uri.file(path.join(dir, `${saved.length}.results.jsonl`));
        t.ui.answer('pick', /Which results/, 'All results');
        t.ui.answer('pick', /alone, or joined/, form);
        t.ui.answer('saveDialog', /Save the results/, target);
        assert.equal(await vscode.commands.executeCommand('claudeBatches.saveResults', batch.id), true);
        saved.push(target);
      }
      t.ui.verify();
      await openAndSettle(saved);
      for (const uri of saved) await expectNotFlagged(uri);
    });

    it('submitting a file that is not a batch file says so and creates nothing', async () => {
      const uri = write('finetune-submit.jsonl', OTHER_JSONL['chat-finetune.jsonl']);
      const result = await vscode.commands.executeCommand('claudeBatches.submitFile', uri);
      assert.equal(result, undefined);
      const [message] = t.ui.messages('error');
      assert.match(message ?? '', /^finetune-submit\.jsonl is not taken for a batch file: line 1 has no custom_id\/params \(its keys: messages\)\. Nothing was submitted\./);
      assert.match(message, /set its language to Claude Batch \(JSONL\)/);
      t.ui.verify();
      assert.deepEqual(t.emulator.batchIds(), []);
    });

    it('a file that claudeBatches.batchFiles.exclude names is not submitted, whatever its content', async () => {
      const config = vscode.workspace.getConfiguration('claudeBatches');
      const uri = write('requests.batch-excluded.jsonl', jsonl([request('a'), request('b')]));
      try {
        await config.update('batchFiles.exclude', ['*.batch-excluded.jsonl'], vscode.ConfigurationTarget.Workspace);
        assert.equal(await vscode.commands.executeCommand('claudeBatches.submitFile', uri), undefined);
        const [message] = t.ui.messages('error');
        assert.match(message ?? '', /^requests\.batch-excluded\.jsonl is not taken for a batch file: claudeBatches\.batchFiles\.exclude names it/);
        t.ui.verify();
        assert.deepEqual(t.emulator.batchIds(), []);
      } finally {
        await config.update('batchFiles.exclude', undefined, vscode.ConfigurationTarget.Workspace);
      }
    });
  });
});
