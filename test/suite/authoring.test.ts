import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { extensionApi, workspaceDir } from './helpers';

const line = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ custom_id: id, params: { model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: `hello ${id}` }], ...extra } });

async function openBatchFile(name: string, lines: string[]): Promise<vscode.TextEditor> {
  const file = path.join(workspaceDir(), name);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return vscode.window.showTextDocument(vscode.Uri.file(file));
}

/** Waits until the extension has published diagnostics for the document's current text. */
async function diagnosticsFor(uri: vscode.Uri, predicate: (d: readonly vscode.Diagnostic[]) => boolean): Promise<readonly vscode.Diagnostic[]> {
  const started = Date.now();
  for (;;) {
    const current = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Claude Batches');
    if (predicate(current)) return current;
    if (Date.now() - started > 10_000) throw new Error(`Diagnostics never matched; last: ${JSON.stringify(current.map((d) => [d.code, d.message]))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('authoring batch files', () => {
  before(async () => {
    await extensionApi();
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('shows problems as the file changes, with line and column, and clears them when fixed', async () => {
    const editor = await openBatchFile('authoring-1.jsonl', [line('a'), line('a'), line('b', { temperature: 0.5 })]);
    const uri = editor.document.uri;
    const found = await diagnosticsFor(uri, (d) => d.length >= 2);
    const duplicate = found.find((d) => d.code === 'duplicate-custom-id')!;
    assert.ok(duplicate, JSON.stringify(found.map((d) => d.code)));
    assert.equal(duplicate.range.start.line, 1);
    assert.equal(duplicate.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(duplicate.relatedInformation?.[0].location.range.start.line, 0);
    const temperature = found.find((d) => d.code === 'unsupported-param')!;
    assert.equal(temperature.range.start.line, 2);

    // Fix line 3 by hand: its diagnostic goes away, the duplicate stays.
    await editor.edit((e) => e.replace(editor.document.lineAt(2).range, line('b')));
    const after = await diagnosticsFor(uri, (d) => !d.some((x) => x.code === 'unsupported-param'));
    assert.deepEqual(after.map((d) => d.code), ['duplicate-custom-id']);
  });

  it('quick fix: makes a duplicate custom_id unique', async () => {
    const editor = await openBatchFile('authoring-2.jsonl', [line('same'), line('same')]);
    const uri = editor.document.uri;
    const [duplicate] = await diagnosticsFor(uri, (d) => d.some((x) => x.code === 'duplicate-custom-id'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, duplicate.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === 'Make this custom_id unique');
    assert.ok(fix?.edit, `no quick fix among ${actions.map((a) => a.title).join(', ')}`);
    await vscode.workspace.applyEdit(fix.edit);
    const id = (JSON.parse(editor.document.lineAt(1).text) as { custom_id: string }).custom_id;
    assert.notEqual(id, 'same');
    assert.match(id, /^same-\d+$/);
    await diagnosticsFor(uri, (d) => d.length === 0);
  });

  it('quick fix: adds a missing custom_id', async () => {
    const editor = await openBatchFile('authoring-3.jsonl', [line('x'), JSON.stringify({ params: { model: 'claude-haiku-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'no id' }] } })]);
    const uri = editor.document.uri;
    const [missing] = await diagnosticsFor(uri, (d) => d.some((x) => x.code === 'missing-custom-id'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, missing.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === 'Add a unique custom_id')!;
    await vscode.workspace.applyEdit(fix.edit!);
    assert.equal(typeof (JSON.parse(editor.document.lineAt(1).text) as { custom_id: unknown }).custom_id, 'string');
    await diagnosticsFor(uri, (d) => d.length === 0);
  });

  it('the CodeLens says how many requests, models and the estimated cost, and submits', async () => {
    const editor = await openBatchFile('authoring-4.jsonl', [line('a'), line('b'), JSON.stringify({ custom_id: 'c', params: { model: 'claude-haiku-4-5', max_tokens: 100_000, messages: [{ role: 'user', content: 'hi' }] } })]);
    // At most: haiku 100,000 output tokens at $5/M × 50% = $0.25, sonnet 2 × 100 at $15/M × 50% = $0.0015, input ≈ 0.
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
    const submit = lenses.find((l) => l.command?.command === 'claudeBatches.submitFile');
    assert.ok(submit, JSON.stringify(lenses.map((l) => l.command?.title)));
    assert.match(submit.command!.title, /^\$\(cloud-upload\) Submit as batch · 3 requests · 2 models · est\. ≤ \$0\.25$/);
    assert.equal((submit.command!.arguments![0] as vscode.Uri).toString(), editor.document.uri.toString());
  });

  it('the CodeLens points to the problems when there are any', async () => {
    const editor = await openBatchFile('authoring-5.jsonl', [line('a'), '{not json']);
    await diagnosticsFor(editor.document.uri, (d) => d.length > 0);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
    assert.ok(lenses.some((l) => /1 problem to fix first/.test(l.command?.title ?? '')));
  });
});

describe('New Batch File', () => {
  const made: string[] = [];
  after(() => {
    for (const folder of made) fs.rmSync(folder, { recursive: true, force: true });
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('writes a starter in the folder it is given, never over a file, and opens it as a batch file without a problem, with the Submit lens', async () => {
    await extensionApi();
    const folder = fs.mkdtempSync(path.join(workspaceDir(), 'new-batch-'));
    made.push(folder);
    fs.writeFileSync(path.join(folder, 'requests.batch.jsonl'), 'mine\n');
    const uri = await vscode.commands.executeCommand<vscode.Uri>('claudeBatches.newBatchFile', vscode.Uri.file(folder));
    assert.equal(path.basename(uri.fsPath), 'requests-2.batch.jsonl');
    assert.equal(fs.readFileSync(path.join(folder, 'requests.batch.jsonl'), 'utf8'), 'mine\n', 'an existing file was overwritten');
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.toString(), uri.toString());
    for (let i = 0; i < 200 && editor.document.languageId !== 'claude-batch'; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(editor.document.languageId, 'claude-batch');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const submit = lenses.find((l) => l.command?.command === 'claudeBatches.submitFile');
    assert.match(submit?.command?.title ?? JSON.stringify(lenses.map((l) => l.command?.title)), /Submit as batch · 3 requests · 1 model · est\. /);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Claude Batches'), []);
  });

  it('from a file, writes beside it', async () => {
    await extensionApi();
    const folder = fs.mkdtempSync(path.join(workspaceDir(), 'new-batch-'));
    made.push(folder);
    const data = path.join(folder, 'notes.txt');
    fs.writeFileSync(data, 'x');
    const uri = await vscode.commands.executeCommand<vscode.Uri>('claudeBatches.newBatchFile', vscode.Uri.file(data));
    assert.equal(path.dirname(uri.fsPath), folder);
    assert.equal(path.basename(uri.fsPath), 'requests.batch.jsonl');
  });
});
