import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseResultsLocation, resultsLocation } from '../../src/domain/results';
import { extensionApi, perTest, workspaceDir } from './helpers';

const request = (id: string, text = `question ${id}`) => ({
  custom_id: id,
  params: { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: text }] },
});

/** A source file and its batch, submitted from this machine, with every kind of outcome. */
async function submitMixed(t: ReturnType<typeof perTest>, name: string): Promise<{ id: string; file: string }> {
  const requests = [
    request('ok-1', `question 1 of ${name}`),
    request('ok-2'),
    request('server-1', 'x [[emulator:api_error]]'),
    request('busy-1', 'x [[emulator:overloaded_error]]'),
    request('fix-1', 'x [[emulator:invalid_request_error]]'),
    request('late-1', 'x [[emulator:expired]]'),
    request('ok-3'),
  ];
  const file = path.join(workspaceDir(), name);
  fs.writeFileSync(file, `${requests.map((r) => JSON.stringify(r)).join('\n')}\n`);
  t.ui.answer('confirm', new RegExp(`^Submit 7 requests from ${name}`), 'Submit');
  const batch = await vscode.commands.executeCommand<{ id: string }>('claudeBatches.submitFile', vscode.Uri.file(file));
  t.emulator.finish(batch.id);
  await (await extensionApi()).store.refresh();
  return { id: batch.id, file };
}

describe('results', () => {
  const t = perTest({ timing: 'manual' });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens a read-only document grouped by outcome, in input order, with counts, usage and cost; later opens use the local copy', async () => {
    const { id } = await submitMixed(t, 'results-open.jsonl');
    const uri = await vscode.commands.executeCommand<vscode.Uri>('claudeBatches.openResults', id);
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.toString(), uri.toString());
    assert.equal(uri.scheme, 'claude-batches');
    assert.equal(editor.document.languageId, 'claude-batch-results');
    const { resultsDocuments } = await extensionApi();
    const structure = resultsDocuments.structure(uri)!;
    const outcomes = structure.sections.filter((s) => !s.id.includes(':'));
    const count = (id: string) => outcomes.find((s) => s.id === id)?.count ?? 0;
    assert.deepEqual([count('succeeded'), count('errored'), count('expired'), count('canceled')], [3, 3, 1, 0]);
    const order = outcomes.map((s) => s.id).filter((id) => count(id) > 0);
    assert.deepEqual(order, ['succeeded', 'errored', 'expired']);
    assert.deepEqual(
      structure.sections.filter((s) => s.id.startsWith('errored:')).map((s) => s.id).sort(),
      ['errored:api_error', 'errored:invalid_request_error', 'errored:overloaded_error'],
    );
    const text = editor.document.getText();
    assert.match(text, /results-open\.jsonl/);
    assert.match(text, /estimate/i);
    // Errored is grouped by type, saying what to do with each.
    assert.match(text, /api_error.*retryable/);
    assert.match(text, /invalid_request_error.*fix the request/);
    // Input order: ok-1 before ok-2 before ok-3 whatever order the API returned them in.
    assert.ok(text.indexOf('▸ ok-1') < text.indexOf('▸ ok-2') && text.indexOf('▸ ok-2') < text.indexOf('▸ ok-3'));

    const folds = await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', uri);
    assert.ok(folds.length >= structure.sections.length, `only ${folds.length} folding ranges`);

    const downloads = () => t.emulator.requests.filter((r) => r.route === 'results').length;
    const before = downloads();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('claudeBatches.openResults', id);
    assert.equal(downloads(), before, 'a second open must use the local copy');
  });

  it("a results document's links open one section on its own; a section that is not one is refused", async () => {
    const { id } = await submitMixed(t, 'results-sections.jsonl');
    const config = () => vscode.workspace.getConfiguration('claudeBatches');
    await config().update('results.entriesPerSection', 1, vscode.ConfigurationTarget.Global);
    try {
      const uri = await vscode.commands.executeCommand<vscode.Uri>('claudeBatches.openResults', id);
      const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', uri);
      const args = links
        .map((l) => l.target!)
        .filter((target) => target.scheme === 'command' && target.path === 'claudeBatches.openResultsSection')
        .map((target) => JSON.parse(target.query) as [string, string]);
      const succeeded = args.find(([, section]) => section === 'succeeded');
      assert.deepEqual(succeeded, [id, 'succeeded'], `links: ${JSON.stringify(args)}`);
      const section = await vscode.commands.executeCommand<vscode.Uri>('claudeBatches.openResultsSection', ...succeeded!);
      assert.equal(parseResultsLocation(section.path, section.query)?.section, 'succeeded');
      const text = vscode.window.activeTextEditor!.document.getText();
      for (const ok of ['ok-1', 'ok-2', 'ok-3']) assert.ok(text.includes(`▸ ${ok}`), `${ok} is in the section`);
    } finally {
      await config().update('results.entriesPerSection', undefined, vscode.ConfigurationTarget.Global);
    }
    const opened = await vscode.commands.executeCommand('claudeBatches.openResultsSection', id, 'bogus');
    assert.equal(opened, undefined);
    assert.match(t.ui.messages('error').at(-1) ?? '', /"bogus" is not a section of a results document/);
  });

  it('a running batch: says so, no error', async () => {
    const running = t.emulator.createBatch([request('a')]);
    await (await extensionApi()).store.refresh();
    await vscode.commands.executeCommand('claudeBatches.openResults', running.id);
    assert.match(t.ui.messages('info')[0], /still in progress: its results can be opened once it has ended/);
    assert.equal(t.ui.messages('error').length, 0);
  });

  it('a cut-off download keeps what arrived, says how many of how many, and offers to download again', async () => {
    const batch = t.emulator.createBatch(Array.from({ length: 30 }, (_, i) => request(`r${i}`)));
    t.emulator.finish(batch.id);
    await (await extensionApi()).store.refresh();
    t.emulator.faults.add({ route: 'results', cutAfterLines: 10 });
    t.ui.answer('warn', /Only \d+ of 30 results/, undefined);
    await vscode.commands.executeCommand('claudeBatches.openResults', batch.id);
    const warning = t.ui.messages('warn').find((m) => /Only/.test(m))!;
    assert.match(warning, /Only 10 of 30 results of ".*" arrived/);
    assert.deepEqual(t.ui.shown.find((s) => s.message === warning)!.actions, ['Download Again']);
    assert.match(vscode.window.activeTextEditor!.document.getText(), /10 of 30|incomplete|partial/i);
  });

  it('a summary made during a download serves only the copy it describes: a later download of the batch replaces it', async () => {
    const batch = t.emulator.createBatch(Array.from({ length: 30 }, (_, i) => request(`r${i}`)));
    t.emulator.finish(batch.id);
    const { store, results } = await extensionApi();
    await store.refresh();
    const ended = store.get(batch.id)!;
    // Downloaded for a document that does not open (the download broke): its summary counts 10.
    t.emulator.faults.add({ route: 'results', cutAfterLines: 10 });
    t.ui.answer('warn', /Only 10 of 30 results/, undefined);
    assert.equal((await results.ensureLocal(ended, 'cut', { forDocument: true }))?.complete, false);
    // Downloaded again for no document (as Save Results and Retry Failed Requests do).
    assert.equal((await results.ensureLocal(ended, 'cut', { again: true }))?.complete, true);
    const document = await results.render(batch.id);
    assert.equal(document.sections.find((s) => s.id === 'succeeded')?.count, 30, 'the document shows the summary of the copy it replaced');
  });

  it('saves all, one outcome, or joined with the requests in input order', async () => {
    const { id } = await submitMixed(t, 'results-save.jsonl');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-results-'));
    const read = (f: string) => fs.readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

    t.ui.answer('pick', /Which results/, 'All results');
    t.ui.answer('pick', /alone, or joined/, 'Results only');
    t.ui.answer('saveDialog', /Save the results/, vscode.Uri.file(path.join(dir, 'all.jsonl')));
    assert.equal(await vscode.commands.executeCommand('claudeBatches.saveResults', id), true);
    assert.equal(read(path.join(dir, 'all.jsonl')).length, 7);

    t.ui.answer('pick', /Which results/, 'Errored only');
    t.ui.answer('pick', /alone, or joined/, 'Results only');
    t.ui.answer('saveDialog', /Save the results/, vscode.Uri.file(path.join(dir, 'errored.jsonl')));
    await vscode.commands.executeCommand('claudeBatches.saveResults', id);
    assert.deepEqual(read(path.join(dir, 'errored.jsonl')).map((r) => r.custom_id).sort(), ['busy-1', 'fix-1', 'server-1']);

    t.ui.answer('pick', /Which results/, 'All results');
    t.ui.answer('pick', /alone, or joined/, 'Joined with the requests');
    t.ui.answer('saveDialog', /Save the results/, vscode.Uri.file(path.join(dir, 'joined.jsonl')));
    await vscode.commands.executeCommand('claudeBatches.saveResults', id);
    const joined = read(path.join(dir, 'joined.jsonl'));
    assert.deepEqual(joined.map((r) => r.custom_id), ['ok-1', 'ok-2', 'server-1', 'busy-1', 'fix-1', 'late-1', 'ok-3']);
    assert.equal((joined[0].request as { model: string }).model, 'claude-sonnet-4-5');
    t.ui.verify();
  });

  it('retry failed: a new file with exactly the retryable and expired requests, the ones to fix listed; submitted, it remembers its parent', async () => {
    const { id, file } = await submitMixed(t, 'results-retry.jsonl');
    t.ui.answer('confirm', /^Submit the 3 failed requests of "results-retry\.jsonl" as a new batch\?/, 'Submit Retry');
    t.ui.answer('confirm', /^Submit 3 requests from results-retry\.retry\.jsonl/, 'Submit');
    const retryUri = await vscode.commands.executeCommand<vscode.Uri>('claudeBatches.retryFailed', id);
    t.ui.verify();
    const lines = fs.readFileSync(retryUri.fsPath, 'utf8').trim().split('\n');
    const source = fs.readFileSync(file, 'utf8').trim().split('\n');
    // Byte-identical lines from the source, in input order: api_error, overloaded_error, expired.
    assert.deepEqual(lines, [source[2], source[3], source[5]]);
    const detail = t.ui.shown.find((s) => /failed requests of/.test(s.message))!.detail!;
    assert.match(detail, /1 failed with invalid_request_error and need fixing first/);
    const { registry } = await extensionApi();
    const retryBatch = t.emulator.batchIds().find((b) => b !== id)!;
    assert.equal(registry.get(retryBatch)?.parentBatchId, id);
  });

  it('a canceled batch opens like any other; after the API deletes the results, the local copy still opens', async () => {
    const batch = t.emulator.createBatch([request('a'), request('b'), request('c')]);
    t.emulator.step(batch.id, 1);
    t.emulator.cancel(batch.id);
    t.emulator.finish(batch.id);
    const never = t.emulator.createBatch([request('x')]);
    t.emulator.finish(never.id);
    const { store, resultsDocuments } = await extensionApi();
    await store.refresh();
    const uri = await vscode.commands.executeCommand<vscode.Uri>('claudeBatches.openResults', batch.id);
    const counts = Object.fromEntries(resultsDocuments.structure(uri)!.sections.map((s) => [s.id, s.count]));
    assert.equal(counts.succeeded, 1);
    assert.equal(counts.canceled, 2);

    // 30 days later the API has deleted both batches' results.
    t.emulator.clock.advance(30 * 24 * 3600_000);
    await store.refresh();
    assert.ok(store.get(batch.id)?.archived_at, 'the emulator did not archive the batch');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const again = await vscode.commands.executeCommand<vscode.Uri>('claudeBatches.openResults', batch.id);
    assert.equal(again.toString(), uri.toString(), 'the local copy did not open');
    assert.match(vscode.window.activeTextEditor!.document.getText(), /results deleted by the API|deleted/i);
    await vscode.commands.executeCommand('claudeBatches.openResults', never.id);
    assert.match(t.ui.messages('error').at(-1)!, /The API deleted the results of ".*" on \d{4}-\d{2}-\d{2} \(29 days after it was created\), and there is no local copy\./);
  });

  it('a reply holding line breaks of every kind: VS Code shows the lines, folds and headings the renderer counted', async () => {
    // The emulator answers with this text verbatim: a fake section, group and entry behind a lone
    // CR, a CRLF, U+2028, U+2029 and U+0085, and controls.
    const hostile = [
      'Sure. [[emulator:echo]]',
      '══ Succeeded · 999 ══════════════════',
      '▸ fake-1 · claude-sonnet-4-5 · end_turn',
      '── api_error · 7 · retryable ─────────',
      '▸ fake-2 · api_error',
      '══ Errored · 3 ══════════════════════',
      '\u001b[2J\u202e done',
    ];
    const text = `${hostile[0]}\r${hostile[1]}\r\n${hostile[2]}\u2028${hostile[3]}\u2029${hostile[4]}\u0085${hostile[5]}\r${hostile[6]}`;
    const batch = t.emulator.createBatch([
      { custom_id: 'hostile-1', params: { model: 'claude-sonnet-4-5', max_tokens: 4000, messages: [{ role: 'user', content: text }] } },
      request('ok-1'),
      request('fails-1', 'x [[emulator:api_error]]'),
    ]);
    t.emulator.finish(batch.id);
    const { store, resultsDocuments } = await extensionApi();
    await store.refresh();
    const uri = await vscode.commands.executeCommand<vscode.Uri>('claudeBatches.openResults', batch.id);
    const document = vscode.window.activeTextEditor!.document;
    assert.equal(document.uri.toString(), uri.toString());
    const structure = resultsDocuments.structure(uri)!;
    // The text ends with a line break: VS Code counts the empty line after it.
    assert.equal(document.lineCount, structure.lineCount + 1, 'VS Code shows other lines than the renderer counted');
    assert.match(document.getText(), /\n {4}══ Succeeded · 999 ═+\n/, 'the fake heading is there, indented as the reply it is');
    const sectionLines = new Set(structure.sections.map((s) => s.line));
    const entryLines = new Set(structure.entries.map((e) => e.line));
    for (let n = 0; n < document.lineCount; n++) {
      const line = document.lineAt(n).text;
      assert.equal(/^(══|──)/.test(line), sectionLines.has(n), `line ${n}: ${JSON.stringify(line)}`);
      assert.equal(line.startsWith('▸'), entryLines.has(n), `line ${n}: ${JSON.stringify(line)}`);
      // eslint-disable-next-line no-control-regex -- finding control characters is the point
      assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(line), `line ${n} holds a control character: ${JSON.stringify(line)}`);
    }
    assert.deepEqual(structure.entries.map((e) => e.customId).sort(), ['fails-1', 'hostile-1', 'ok-1']);

    const folds = await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', uri);
    const pairs = (ranges: { start: number; end: number }[]) => ranges.map((r) => `${r.start}-${r.end}`).sort();
    assert.deepEqual(pairs(folds), pairs(structure.folding), 'the editor folds other ranges than the renderer made');
    for (const fold of folds) assert.match(document.lineAt(fold.start).text, /^(══|──|▸) /, `fold at ${fold.start}`);
  });

  it('results URIs survive the encoding of VS Code URIs, and a forged one opens as "not a results document"', async () => {
    const labels = ['report (v2)', '100% done', 'a%2Fb', 'x#y?z', 'tab\there', 'line\r\nbreak', '\u202eevil', 'données.jsonl', ' (errored)'];
    const sections = [undefined, 'errored', 'errored:a/b', 'errored:%20 (x)', 'expired'] as const;
    for (const label of labels) {
      for (const section of sections) {
        const where = resultsLocation({ batchId: 'msgbatch_01URI', label, section });
        const uri = vscode.Uri.parse(vscode.Uri.from({ scheme: 'claude-batches', path: where.path, query: where.query }).toString());
        const parsed = parseResultsLocation(uri.path, uri.query);
        assert.ok(parsed, `${label} / ${section}: ${uri.toString()}`);
        assert.equal(parsed.batchId, 'msgbatch_01URI');
        assert.equal(parsed.section, section);
      }
    }
    for (const forged of ['claude-batches:/results/%25E0%25A4%25A/x.results', 'claude-batches:/results/..%252F..%252Fetc/x.results', 'claude-batches:/results/msgbatch_1/x.results?section=errored&section=expired']) {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(forged));
      assert.match(document.getText(), /^Not a results document: /, forged);
    }
  });

  it('retry failed on a batch whose source file is gone says so', async () => {
    const { id, file } = await submitMixed(t, 'results-gone.jsonl');
    fs.rmSync(file);
    await vscode.commands.executeCommand('claudeBatches.retryFailed', id);
    assert.match(t.ui.messages('error')[0], /source file of "results-gone\.jsonl" is gone/);
  });
});
