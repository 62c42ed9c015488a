import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { extensionApi, logFiles, perTest, workspaceDir } from './helpers';

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}


const request = (id: string, model = 'claude-opus-4-1') => ({
  custom_id: id,
  params: { model, max_tokens: 4096, messages: [{ role: 'user', content: `question ${id}` }] },
});

/** Junk price overrides by the thousand, and names that would hit an object's prototype. */
function hostilePrices(): Record<string, unknown> {
  const prices: Record<string, unknown> = {};
  for (let i = 0; i < 5000; i++) prices[`claude-junk-${i}-${'x'.repeat(50)}`] = { input: 0, output: 0 };
  return {
    claude: { input: 0, output: 0 },
    'claude-opus-4': { input: 0, output: 0 },
    'claude-opus-4-1': { input: 0, output: 0 },
    constructor: { input: 0, output: 0 },
    toString: 'abc',
    ...prices,
  };
}

/** Every claudeBatches.* setting, set by a workspace to something hostile or nonsensical. */
function hostileSettingsJson(): string {
  const settings = {
    'claudeBatches.baseUrl': 'http://127.0.0.1:9/not-the-api',
    'claudeBatches.pageSize': 'abc',
    'claudeBatches.pollIntervalSeconds': -1,
    'claudeBatches.maxPollIntervalSeconds': 1e12,
    'claudeBatches.notifyOnEnd': 'NaN',
    'claudeBatches.prices': hostilePrices(),
    'claudeBatches.results.entriesPerSection': 1e9,
    'claudeBatches.results.sectionEntries': -1,
  };
  // A "__proto__" key, as a settings file can hold it (an object literal cannot).
  return JSON.stringify(settings, null, 2).replace('"claudeBatches.prices": {', '"claudeBatches.prices": {\n    "__proto__": {"input": 0, "output": 0},');
}

describe('hostile workspace settings', () => {
  const t = perTest({ timing: 'manual' });
  const settingsFile = () => path.join(workspaceDir(), '.vscode', 'settings.json');
  const workspacePageSize = () => vscode.workspace.getConfiguration('claudeBatches').inspect<unknown>('pageSize')?.workspaceValue;

  async function writeHostileSettings(): Promise<void> {
    fs.mkdirSync(path.dirname(settingsFile()), { recursive: true });
    fs.writeFileSync(settingsFile(), hostileSettingsJson());
    await until(() => workspacePageSize() === 'abc', 'VS Code to read the workspace settings');
  }

  afterEach(async () => {
    fs.rmSync(settingsFile(), { force: true });
    await until(() => workspacePageSize() === undefined, 'VS Code to forget the workspace settings');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  /** What the confirmation and the CodeLens say a file of Opus 4.1 requests costs. */
  async function costShown(file: vscode.Uri): Promise<{ confirm: string; lens: string }> {
    t.ui.answer('confirm', /^Submit 3 requests/, undefined);
    await vscode.commands.executeCommand('claudeBatches.submitFile', file);
    const detail = t.ui.shown.filter((s) => s.kind === 'confirm').at(-1)?.detail ?? '';
    const confirm = detail.split('\n').find((line) => /Estimated cost/.test(line)) ?? '';
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file);
    const lens = lenses.map((l) => l.command?.title ?? '').find((title) => /Submit as batch/.test(title)) ?? '';
    return { confirm, lens };
  }

  it('still lists batches, estimates what the built-in prices say, and bounds a results document', async () => {
    const { store, resultsDocuments, logUri } = await extensionApi();
    const file = path.join(workspaceDir(), 'hostile-settings-opus.jsonl');
    fs.writeFileSync(file, `${['a', 'b', 'c'].map((id) => JSON.stringify(request(id))).join('\n')}\n`);
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(uri);

    // With the defaults: what the cost is, and how a 250-result document looks.
    const before = await costShown(uri);
    assert.match(before.confirm, /Estimated cost at batch prices: at most \$\d+\.\d\d/);
    assert.match(before.lens, /est\. ≤ \$\d/);
    const start = Date.now() - 30 * 60_000;
    for (let i = 0; i < 24; i++) t.emulator.createBatch([request(`r${i}`)], { createdAt: start + i * 60_000 });
    const big = t.emulator.createBatch(Array.from({ length: 250 }, (_, i) => request(`big-${i}`, 'claude-sonnet-4-5')));
    t.emulator.finish(big.id);
    await store.refresh();
    const resultsUri = await vscode.commands.executeCommand<vscode.Uri>('claudeBatches.openResults', big.id);
    const defaultLength = vscode.window.activeTextEditor!.document.getText().length;
    assert.equal(resultsDocuments.structure(resultsUri)!.entries.length, 200);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    await writeHostileSettings();

    // The list: a page size of "abc" is the default page size, and the workspace's base URL is not used.
    await store.refresh();
    assert.equal(store.state.kind, 'ready', `state: ${JSON.stringify(store.state)}`);
    assert.equal(store.batches.length, 20);
    const lists = t.emulator.requests.filter((r) => r.route === 'list');
    assert.deepEqual(lists.at(-1)?.query.limit, '20');
    await store.refresh();

    // The cost: exactly what it was, whatever the workspace's price overrides say.
    await vscode.window.showTextDocument(uri);
    const after = await costShown(uri);
    assert.equal(after.confirm, before.confirm);
    assert.equal(after.lens, before.lens);

    // The results document: the default number of entries per section, not 1e9.
    const hostileUri = await vscode.commands.executeCommand<vscode.Uri>('claudeBatches.openResults', big.id);
    const structure = resultsDocuments.structure(hostileUri)!;
    assert.equal(structure.entries.length, 200);
    assert.ok(structure.sections.every((s) => s.shown <= 200));
    const text = vscode.window.activeTextEditor!.document.getText();
    assert.ok(text.length <= defaultLength * 1.1, `${text.length} characters against ${defaultLength} with the defaults`);

    // Each ignored value is logged, once however often it was read.
    const exthostLogs = path.dirname(logUri);
    const logText = () => logFiles(exthostLogs).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    await until(() => /claudeBatches\.pageSize: "abc" is not a number/.test(logText()), 'the page size problem in the log');
    assert.equal(logText().match(/claudeBatches\.pageSize: "abc" is not a number/g)?.length, 1);
  });
});
