// The grouped results document and what is kept of it on disk, in another display language: the
// words come out translated when rendered, and what is written to disk (the index beside a local
// copy, a download's note) is never shown in a language other than the one it was written in.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { useBundle, wordingKey } from '../../../src/common/l10n';
import { loadBatchUsage, renderResultsDocument, resultsOutline, ResultsArchive, summarizeCopy, summarizeResults, type IndexFiles } from '../../../src/domain/results';
import { sourceLineWords } from '../../../src/domain/results/sourceLineWords';
import { batchLabel, batchRowAccessibleLabel, batchRowLabel } from '../../../src/domain/batchPresentation';
import { recordLabel, storedPartLabel } from '../../../src/domain/submissionRegistry';
import { batchObject, errored, request, succeeded, tempDir, writeJsonl } from '../results/helpers';

/** A few messages of a made-up translation, enough to tell every place they are used. */
const GERMAN = {
  Succeeded: 'Erfolgreich',
  Errored: 'Fehlgeschlagen',
  Results: 'Ergebnisse insgesamt',
  'source line {0}': 'Quellzeile {0}',
  'unknown model': 'unbekanntes Modell',
  'tool result': 'Werkzeugergebnis',
  'retryable': 'wiederholbar',
};

describe('l10n: the results document in another display language', () => {
  let dir: string;
  let copy: string;
  let source: string;

  beforeEach(() => {
    dir = tempDir('results-words');
    source = writeJsonl(path.join(dir, 'a.batch.jsonl'), [
      request('q1', 'What is the capital of France?'),
      { custom_id: 'q2', params: { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'sunny' }] }] } },
      request('q3', 'Anything?'),
    ]);
    const noModel = succeeded('q3', 'yes');
    delete (noModel.result as { message: { model?: string } }).message.model;
    copy = writeJsonl(path.join(dir, 'msgbatch_x.jsonl'), [succeeded('q1', 'Paris.'), errored('q2', 'overloaded_error'), noModel]);
  });
  afterEach(() => useBundle(undefined));

  it('words its headings, keys, entries and outline in that language, as the same messages the links look for', async () => {
    useBundle(GERMAN);
    const summary = await summarizeResults(copy, { source });
    const doc = renderResultsDocument(summary, { batchId: 'msgbatch_x', label: 'a.batch.jsonl' });
    const lines = doc.text.split('\n');
    assert.ok(lines[doc.sections[0].line].startsWith('══ Erfolgreich · 2 ═'), lines[doc.sections[0].line]);
    assert.ok(lines.some((l) => l.startsWith('── overloaded_error · 1 · wiederholbar ─')), doc.text);
    // A key longer than the column still leaves two spaces before its value (the grammar's end of a key).
    assert.ok(lines.some((l) => /^ {2}Ergebnisse insgesamt {2}3 results: /.test(l)), doc.text);
    // The grammar colours a key in any language's letters, as a key.
    const grammar = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../media/results.tmLanguage.json'), 'utf8')) as { repository: { field: { match: string } } };
    assert.equal(new RegExp(grammar.repository.field.match, 'u').exec('  Überprüfte Ergebnisse  3')?.[2], 'Überprüfte Ergebnisse');
    // The prompt's line names its source line in the words the source links look for.
    assert.ok(doc.text.includes(`(${sourceLineWords(1)})`) && sourceLineWords(1) === 'Quellzeile 1', doc.text);
    assert.ok(doc.text.includes('[Werkzeugergebnis]'), doc.text);
    assert.ok(lines.some((l) => l.startsWith('▸ q3 · unbekanntes Modell ·')), doc.text);
    const outline = resultsOutline(doc);
    assert.deepEqual(
      outline.map((s) => s.name),
      ['Erfolgreich', 'Fehlgeschlagen', 'Expired', 'Canceled'],
    );
    assert.equal(outline[0].children[0].detail, 'Quellzeile 1');
    // The usage keeps its key as data, the same in every language (the index and the ledger write it).
    assert.deepEqual(Object.keys(summary.usage.perModel).sort(), ['claude-sonnet-4-5', 'unknown model']);
  });

  it('counts the usage ledger under the same model key in every language (its file is shared by all of them)', async () => {
    useBundle(GERMAN);
    const copyInfo = { batchId: 'msgbatch_x', path: copy, downloadedAt: '2026-11-28T00:00:00.000Z', lines: 3, complete: true, batch: batchObject('msgbatch_x', { succeeded: 2, errored: 1 }) };
    const { usage, counted } = await loadBatchUsage(path.join(dir, 'msgbatch_x.usage.json'), copyInfo);
    assert.equal(counted, true);
    assert.deepEqual(Object.keys(usage.perModel).sort(), ['claude-sonnet-4-5', 'unknown model']);
  });

  it('keys the index beside a copy by the words it holds: another language makes it again', async () => {
    const files: IndexFiles = { summary: path.join(dir, 'msgbatch_x.index.json'), entries: path.join(dir, 'msgbatch_x.entries.json') };
    const english = await summarizeCopy(files, copy, { source });
    assert.equal(english.rebuilt?.kind, 'missing');
    assert.ok(english.summary.succeeded.entries.some((e) => e.prompt === undefined || !e.prompt.includes('Werkzeugergebnis')));
    useBundle(GERMAN);
    const german = await summarizeCopy(files, copy, { source });
    assert.equal(german.rebuilt?.kind, 'other-options', 'an index holding English prompts is not used in German');
    assert.equal(german.summary.errored.entries[0].prompt, '[Werkzeugergebnis] sunny');
    assert.equal((await summarizeCopy(files, copy, { source })).rebuilt, undefined, 'the index made again in German is used');
    useBundle(undefined);
    const back = await summarizeCopy(files, copy, { source });
    assert.equal(back.rebuilt?.kind, 'other-options');
    assert.equal(back.summary.errored.entries[0].prompt, '[tool result] sunny');
  });

  it('leaves out a broken download’s note written in another language', async () => {
    const archive = new ResultsArchive(dir);
    const id = 'msgbatch_cut';
    fs.writeFileSync(path.join(dir, `${id}.partial.jsonl`), `${JSON.stringify(succeeded('q1'))}\n`);
    const meta = (error: string, errorWording?: string) =>
      fs.writeFileSync(
        path.join(dir, `${id}.meta.json`),
        JSON.stringify({ version: 1, batchId: id, batch: batchObject(id, { succeeded: 2 }), downloadedAt: '2026-01-01T01:00:00.000Z', lines: 1, total: 2, complete: false, file: `${id}.partial.jsonl`, reason: 'cut', error, errorWording }),
      );
    meta('Connection lost.');
    assert.equal((await archive.status(id))?.error, 'Connection lost.', 'a note of before (English) is shown in English');
    useBundle(GERMAN);
    const key = wordingKey();
    assert.equal((await archive.status(id))?.error, undefined, 'an English note is not shown in German');
    meta('Verbindung verloren.', key);
    assert.equal((await archive.status(id))?.error, 'Verbindung verloren.');
    useBundle(undefined);
    assert.equal((await archive.status(id))?.error, undefined, 'a German note is not shown in English');
    assert.equal((await archive.status(id))?.lines, 1, 'the rest of what the meta says stands');
  });
});

describe('l10n: a part of a split file, named in the display language', () => {
  afterEach(() => useBundle(undefined));
  const group = { id: 'g', part: 2, parts: 3, label: 'big.jsonl' };
  const record = { batchId: 'msgbatch_p2', label: storedPartLabel('big.jsonl', 2, 3), group, contentHash: 'h', requestCount: 1, byteSize: 1, submittedAt: '2026-01-01T00:00:00Z', models: [] };

  it('is recorded the same in every language, and worded when shown: the view, the messages, the results document', () => {
    useBundle({ '{0} (part {1} of {2})': '{0} (Teil {1} von {2})' });
    assert.equal(record.label, 'big.jsonl (part 2 of 3)', 'global state, read by windows in any language');
    const b = batchObject('msgbatch_p2', { succeeded: 1 });
    assert.equal(batchLabel(b, record), 'big.jsonl (Teil 2 von 3)');
    assert.match(batchRowLabel(b, record), /^big\.json.*….*von 3\)$/, 'cut in the middle, as any long name');
    assert.ok(batchRowAccessibleLabel(b, record).startsWith('big.jsonl (Teil 2 von 3), '));
    useBundle(undefined);
    assert.equal(batchLabel(b, record), 'big.jsonl (part 2 of 3)');
  });

  it('keeps any other label as it is', () => {
    useBundle({ '{0} (part {1} of {2})': '{0} (Teil {1} von {2})' });
    assert.equal(recordLabel({ ...record, label: 'my own name' }), 'my own name');
    assert.equal(recordLabel({ label: 'a.jsonl' }), 'a.jsonl');
  });
});
