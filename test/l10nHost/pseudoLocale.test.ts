// Runs in a VS Code whose display language is German, with the extension given pseudo-translations
// made by @vscode/l10n-dev from its English strings (package.nls.de.json, l10n/bundle.l10n.de.json),
// and no code change: proves that a translation reaches every layer.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { getL10nPseudoLocalized } from '@vscode/l10n-dev';
import type { ExtensionTestApi } from '../../src/vscode/core/extensionInternals';
import { resultsLocation } from '../../src/domain/results';

const pseudo = (english: string): string => getL10nPseudoLocalized({ m: english }).m as string;

async function until<T>(what: string, get: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = get();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

describe('translated: the extension in another display language', () => {
  const ext = () => vscode.extensions.getExtension('claude-batches.claude-batches')!;

  it('runs in that display language', () => {
    assert.equal(vscode.env.language, 'de');
  });


  it('reads its manifest from package.nls.de.json', () => {
    // Loaded from source, VS Code keeps both: { value: translated, original: English }.
    type Shown = string | { value: string; original: string };
    const commands = (ext().packageJSON as { contributes: { commands: { command: string; title: Shown; category: Shown }[] } }).contributes.commands;
    const submit = commands.find((c) => c.command === 'claudeBatches.submitFile')!;
    const value = (shown: Shown) => (typeof shown === 'string' ? shown : shown.value);
    assert.equal(value(submit.category), pseudo('Claude Batches'));
    assert.equal(value(submit.title), pseudo('Submit as Batch'));
  });

  it('words the problems of a batch file (src/domain, through @vscode/l10n) in that language', async () => {
    await ext().activate();
    const workspace = process.env.CLAUDE_BATCHES_TEST_WORKSPACE!;
    const file = path.join(workspace, 'pseudo.batch.jsonl');
    fs.writeFileSync(file, '{"custom_id": "a", "params": \n');
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const diagnostic = await until('the problems of pseudo.batch.jsonl', () => vscode.languages.getDiagnostics(uri)[0]);
    // src/vscode's words (vscode.l10n.t), then src/domain's (@vscode/l10n, handed the same bundle).
    assert.equal(diagnostic.source, pseudo('Claude Batches'));
    const english = 'invalid JSON at column {0}: {1}';
    const prefix = pseudo(english).split('{0}')[0];
    assert.ok(diagnostic.message.startsWith(prefix), `"${diagnostic.message}" is not the translation of "${english}"`);
  });

  it('words the grouped results document (the lazily loaded results code, through @vscode/l10n) in that language', async () => {
    // A local copy is all a results document reads: no download, no API.
    const api = (await ext().activate()) as ExtensionTestApi;
    const id = 'msgbatch_pseudo';
    const line = { custom_id: 'a', result: { type: 'succeeded', message: { id: 'm', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: 'Hallo.' }], stop_reason: 'end_turn', usage: { input_tokens: 1, output_tokens: 1 } } } };
    fs.mkdirSync(api.results.dir, { recursive: true });
    fs.writeFileSync(path.join(api.results.dir, `${id}.jsonl`), `${JSON.stringify(line)}\n`);
    const where = resultsLocation({ batchId: id, label: 'pseudo' });
    const document = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'claude-batches', path: where.path, query: where.query }));
    assert.ok(document.getText().includes(`══ ${pseudo('Succeeded')} · 1 ══`), document.getText());
  });
});
