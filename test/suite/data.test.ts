// Building batches from data in the running extension: the Explorer's command with scripted
// dialogs, the batch file and its link, submitting it to the emulator, and the results saved as
// CSV row for row; and templates in the editor (diagnostics, completion, CodeLens).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parse } from 'csv-parse/sync';
import { extensionApi, perTest, workspaceDir } from './helpers';

let counter = 0;

/** A fresh folder in the workspace holding `name` with `content`. */
function dataFile(name: string, content: string): { dir: string; file: string; uri: vscode.Uri } {
  const dir = path.join(workspaceDir(), `data-${Date.now()}-${++counter}`);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return { dir, file, uri: vscode.Uri.file(file) };
}

const PEOPLE = 'id,name,question\n1,Ann,"What is 2+2, roughly?"\n2,Bob,"Say ""hi""\nin two lines"\n3,Cy\n4,Di,Why?\n';

describe('data: Create Batch File from Data… and Save Results as CSV…', () => {
  const t = perTest({ timing: 'manual' });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('builds from a CSV with a new template, submits, and saves the results as CSV row for row with the data', async () => {
    const { dir, uri } = dataFile('people.csv', PEOPLE);
    t.ui.answer('pick', /Which template should each record of people\.csv fill/, '$(add) New template from these columns');
    t.ui.answer('confirm', /^Create people\.batch\.jsonl: 3 requests · est\. (≤ )?[<$]/, 'Skip 1 Bad Record and Create');
    const batchUri = await vscode.commands.executeCommand<vscode.Uri | undefined>('claudeBatches.createBatchFromData', uri);
    t.ui.verify();
    assert.ok(batchUri, `no batch file: ${JSON.stringify(t.ui.shown)}`);
    assert.equal(batchUri.fsPath, path.join(dir, 'people.batch.jsonl'));
    assert.deepEqual(fs.readdirSync(dir).sort(), ['people.batch-template.json', 'people.batch.jsonl', 'people.batch.jsonl.source.json', 'people.csv']);
    const preview = t.ui.shown.find((s) => s.kind === 'confirm')!;
    assert.match(preview.detail!, /First request:[\s\S]*"custom_id": "1"/);
    assert.match(preview.detail!, /line 5: the row has 2 cells, the header 3/);
    assert.match(t.ui.messages('info').join('\n'), /Created .*people\.batch\.jsonl: 3 requests \(1 bad record left out\), ready to submit/);
    const lines = fs.readFileSync(batchUri.fsPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { custom_id: string; params: { messages: { content: string }[] } });
    assert.deepEqual(lines.map((l) => l.custom_id), ['1', '2', '4']);
    assert.match(lines[1].params.messages[0].content, /question: Say "hi"\nin two lines/);

    t.ui.answer('confirm', /^Submit 3 requests from people\.batch\.jsonl/, 'Submit');
    const batch = await vscode.commands.executeCommand<{ id: string }>('claudeBatches.submitFile', batchUri);
    assert.ok(batch?.id, `not submitted: ${JSON.stringify(t.ui.shown)}`);
    t.emulator.finish(batch.id);
    await (await extensionApi()).store.refresh();

    const out = path.join(dir, 'people.results.csv');
    t.ui.answer('saveDialog', /as CSV/, vscode.Uri.file(out));
    const saved = await vscode.commands.executeCommand<vscode.Uri | undefined>('claudeBatches.saveResultsAsCsv', batch.id);
    t.ui.verify();
    assert.equal(saved?.fsPath, out);
    const rows = parse(fs.readFileSync(out, 'utf8')) as string[][];
    assert.deepEqual(rows[0], ['id', 'name', 'question', 'outcome', 'text', 'error_type', 'error_message', 'stop_reason', 'input_tokens', 'output_tokens']);
    const data = parse(PEOPLE, { relax_column_count: true }) as string[][];
    assert.equal(rows.length, data.length, 'one row per data row, and the header');
    assert.deepEqual(rows.slice(1).map((r) => r[0]), ['1', '2', '', '4']);
    assert.deepEqual(rows.slice(1).map((r) => r[3]), ['succeeded', 'succeeded', 'not_sent', 'succeeded']);
    assert.equal(rows[2][2], 'Say "hi"\nin two lines');
    assert.ok(rows[1][4].length > 0, 'the answer text is there');
    assert.match(t.ui.messages('info').join('\n'), /Saved 4 rows of people\.csv with their results .*\(1 not sent \(bad records\)\)/);
  });

  it('leaves nothing behind when the preview is dismissed, and never replaces a file without asking', async () => {
    const { dir, uri } = dataFile('items.csv', 'id,question\na,one\nb,two\n');
    t.ui.answer('pick', /Which template/, '$(add) New template from these columns');
    t.ui.answer('confirm', /^Create items\.batch\.jsonl: 2 requests/, undefined);
    assert.equal(await vscode.commands.executeCommand('claudeBatches.createBatchFromData', uri), undefined);
    t.ui.verify();
    assert.deepEqual(fs.readdirSync(dir).sort(), ['items.batch-template.json', 'items.csv']);

    fs.writeFileSync(path.join(dir, 'items.batch.jsonl'), 'precious\n');
    t.ui.answer('pick', /Which template/, 'items.batch-template.json');
    t.ui.answer('confirm', /^Create items\.batch\.jsonl/, 'Create');
    t.ui.answer('confirm', /items\.batch\.jsonl already exists\. Replace it\?/, undefined);
    assert.equal(await vscode.commands.executeCommand('claudeBatches.createBatchFromData', uri), undefined);
    t.ui.verify();
    assert.equal(fs.readFileSync(path.join(dir, 'items.batch.jsonl'), 'utf8'), 'precious\n');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['items.batch-template.json', 'items.batch.jsonl', 'items.csv']);
  });

  it('from the palette, offers the data files of the workspace (not batch files, templates or links)', async () => {
    const { dir } = dataFile('palette.csv', 'id,question\na,one\n');
    fs.writeFileSync(path.join(dir, 'x.batch.jsonl'), '');
    fs.writeFileSync(path.join(dir, 'x.batch-template.json'), '{}');
    let offered: string[] = [];
    t.ui.answer('pick', /Which data should the batch be built from/, (items: { label: string; description?: string }[]) => {
      offered = items.filter((i) => i.description === vscode.workspace.asRelativePath(dir)).map((i) => i.label);
      return undefined;
    });
    assert.equal(await vscode.commands.executeCommand('claudeBatches.createBatchFromData'), undefined);
    t.ui.verify();
    assert.deepEqual(offered, ['palette.csv']);
  });

  it('says what is wrong with the data at its line, and writes nothing', async () => {
    const { dir, uri } = dataFile('dup.csv', 'id,text,text\n1,a,b\n');
    assert.equal(await vscode.commands.executeCommand('claudeBatches.createBatchFromData', uri), undefined);
    assert.match(t.ui.messages('error').join('\n'), /dup\.csv, line 1: Columns 2 and 3 of the header row are both named "text"/);
    assert.deepEqual(fs.readdirSync(dir), ['dup.csv']);
  });

  it('refuses Save Results as CSV for a batch not built from data, saying what to use instead', async () => {
    const { uri } = dataFile('plain.jsonl', `${JSON.stringify({ custom_id: 'a', params: { model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] } })}\n`);
    t.ui.answer('confirm', /^Submit 1 request/, 'Submit');
    const batch = await vscode.commands.executeCommand<{ id: string }>('claudeBatches.submitFile', uri);
    t.emulator.finish(batch.id);
    await (await extensionApi()).store.refresh();
    assert.equal(await vscode.commands.executeCommand('claudeBatches.saveResultsAsCsv', batch.id), undefined);
    assert.match(t.ui.messages('error').join('\n'), /was not built from data: .*Use Save Results… instead/);
  });
});

describe('data: batch templates in the editor', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('marks placeholders the data lacks, completes column names, and shows the Build lens with count and estimate', async () => {
    const { dir } = dataFile('people.csv', PEOPLE.replace('3,Cy\n', '3,Cy,ok\n'));
    const templateText = JSON.stringify({ params: { model: 'claude-sonnet-4-5', max_tokens: 50, messages: [{ role: 'user', content: '{{name}} asks {{nope}}' }] }, options: { data: 'people.csv', customIdColumn: 'id' } }, null, 2);
    const file = path.join(dir, 'ask.batch-template.json');
    fs.writeFileSync(file, templateText);
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document);
    const { templates } = await extensionApi();
    const diagnostics = await templates.checkNow(document);
    assert.deepEqual(diagnostics.map((d) => [d.message, document.getText(d.range)]), [['people.csv has no column "nope" (it has: id, name, question).', 'nope']]);

    const at = document.positionAt(templateText.indexOf('{{nope') + 2);
    const completions = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, at);
    const labels = completions.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const column of ['id', 'name', 'question']) assert.ok(labels.includes(column), `completions: ${labels.join(', ')}`);

    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(document.positionAt(templateText.indexOf('{{nope}}')), document.positionAt(templateText.indexOf('{{nope}}') + 8)), '{{question}}');
    await vscode.workspace.applyEdit(edit);
    assert.deepEqual((await templates.checkNow(document)).map((d) => d.message), []);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10);
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(titles.some((title) => /^\$\(play\) Build batch from people\.csv · 4 requests · est\. (≤ )?[<$]/.test(title)), `lenses: ${titles.join(' | ')}`);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['ask.batch-template.json', 'people.csv'], 'the lens leaves no file behind');
  });

  it('says when the request rendered from the first row would be rejected', async () => {
    const { dir } = dataFile('n.csv', 'n\n-5\n');
    const file = path.join(dir, 'neg.batch-template.json');
    fs.writeFileSync(file, JSON.stringify({ params: { model: 'claude-sonnet-4-5', max_tokens: '{{json:n}}', messages: [{ role: 'user', content: 'x' }] }, options: { data: 'n.csv' } }, null, 2));
    const document = await vscode.workspace.openTextDocument(file);
    const diagnostics = await (await extensionApi()).templates.checkNow(document);
    assert.ok(diagnostics.some((d) => d.severity === vscode.DiagnosticSeverity.Error && /rendered from n\.csv line 2 would be rejected: .*max_tokens/.test(d.message)), diagnostics.map((d) => d.message).join('\n'));
  });
});
