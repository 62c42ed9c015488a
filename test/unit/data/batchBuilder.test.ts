import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateBatchText } from '../../../src/domain/jsonl';
import {
  BadRecordError,
  buildBatchFromData,
  commitBuild,
  CsvSource,
  DataFileError,
  discardBuild,
  linkPath,
  openDataSource,
  OutputExistsError,
  parseTemplate,
  readSourceLink,
  writeResultsCsv,
} from '../../../src/domain/data';
import { filesIn, TEMPLATE, tempDir, writeData } from './helpers';

const template = parseTemplate(JSON.stringify(TEMPLATE));

describe('data: building a batch file', () => {
  it('writes one valid request per row to a temp file, and commits it with its link', async () => {
    const dir = tempDir('build');
    const data = writeData(dir, 'people.csv', 'id,text\n1,"a, b"\n2,"say ""hi"""\n3,"two\nlines"\n');
    const output = path.join(dir, 'people.batch.jsonl');
    const build = await buildBatchFromData({ source: new CsvSource(data, { delimiter: ',' }), template, output, onBad: 'skip' });
    assert.equal(build.requests, 3);
    assert.equal(build.parts, 1);
    assert.ok(!fs.existsSync(output), 'nothing at the output before the commit');
    assert.deepEqual(Object.keys(build.models), ['claude-sonnet-4-5']);
    await commitBuild(build, { overwrite: false });
    assert.deepEqual(filesIn(dir), ['people.batch.jsonl', 'people.batch.jsonl.source.json', 'people.csv']);
    const text = fs.readFileSync(output, 'utf8');
    const validation = validateBatchText(text);
    assert.equal(validation.errorCount, 0);
    assert.deepEqual(text.trim().split('\n').map((l) => JSON.parse(l).params.messages[0].content), ['Summarise a, b', 'Summarise say "hi"', 'Summarise two\nlines']);
    const link = await readSourceLink(output);
    assert.deepEqual(link?.customIds, ['1', '2', '3']);
    assert.equal(link?.data, 'people.csv');
    assert.deepEqual(link?.columns, ['id', 'text']);
    assert.equal(link?.batchSha256.length, 64);
  });

  it('skips bad rows, listing each with its line and column, or stops at the first one leaving nothing behind', async () => {
    const dir = tempDir('bad');
    const data = writeData(dir, 'd.csv', 'id,text\n1,ok\n2\n,empty id\n4,fine\n');
    const output = path.join(dir, 'd.batch.jsonl');
    const build = await buildBatchFromData({ source: new CsvSource(data, { delimiter: ',' }), template, output, onBad: 'skip' });
    assert.equal(build.requests, 2);
    assert.equal(build.badCount, 2);
    assert.deepEqual(build.bad.map((b) => [b.line, b.column]), [
      [3, undefined],
      [4, 'id'],
    ]);
    assert.deepEqual(build.link.customIds, ['1', '', '', '4']);
    await discardBuild(build);
    assert.deepEqual(filesIn(dir), ['d.csv']);
    await assert.rejects(buildBatchFromData({ source: new CsvSource(data, { delimiter: ',' }), template, output, onBad: 'stop' }), (err: unknown) => err instanceof BadRecordError && /^line 3: the row has 1 cell/.test(err.message));
    assert.deepEqual(filesIn(dir), ['d.csv'], 'nothing half-written left');
  });

  it('leaves nothing behind when a bad row stops the build after blocks were written, and writes every line of a longer build', async () => {
    const dir = tempDir('blocks');
    // About 3 MB of requests: several full blocks, each written while the next one fills.
    const long = 'x'.repeat(1500);
    const rows = Array.from({ length: 2000 }, (_, i) => `${i},"${long} ""${i}""\n"\n`);
    const output = path.join(dir, 'd.batch.jsonl');
    const stopping = writeData(dir, 'stop.csv', `id,text\n${rows.join('')}bad\n${rows[0]}`);
    await assert.rejects(buildBatchFromData({ source: new CsvSource(stopping, { delimiter: ',' }), template, output, onBad: 'stop' }), (err: unknown) => err instanceof BadRecordError && err.record.line === 4002);
    assert.deepEqual(filesIn(dir), ['stop.csv'], 'nothing half-written left');
    const whole = writeData(dir, 'whole.csv', `id,text\n${rows.join('')}`);
    const build = await buildBatchFromData({ source: new CsvSource(whole, { delimiter: ',' }), template, output, onBad: 'stop' });
    const lines = fs.readFileSync(build.temp, 'utf8').split('\n');
    assert.equal(lines.pop(), '');
    assert.deepEqual(lines.map((l) => (JSON.parse(l) as { custom_id: string }).custom_id), rows.map((_, i) => String(i)));
    assert.equal((JSON.parse(lines[1999]) as { params: { messages: { content: string }[] } }).params.messages[0].content, `Summarise ${long} "1999"\n`);
    assert.equal(build.byteSize, fs.statSync(build.temp).size);
    assert.equal(build.link.batchSha256, createHash('sha256').update(fs.readFileSync(build.temp)).digest('hex'));
    await discardBuild(build);
  });

  it('leaves nothing behind when the data file itself is refused', async () => {
    const dir = tempDir('refused');
    const data = writeData(dir, 'd.csv', 'id,id\n1,2\n');
    await assert.rejects(buildBatchFromData({ source: new CsvSource(data, { delimiter: ',' }), template, output: path.join(dir, 'd.batch.jsonl'), onBad: 'skip' }), DataFileError);
    assert.deepEqual(filesIn(dir), ['d.csv']);
  });

  it('refuses a rendered request the API would reject, at the data line', async () => {
    const dir = tempDir('rejected');
    const noTokens = parseTemplate(JSON.stringify({ params: { model: 'claude-sonnet-4-5', max_tokens: '{{json:n}}', messages: [{ role: 'user', content: 'x' }] } }));
    const data = writeData(dir, 'd.csv', 'n\n10\n-1\n');
    const build = await buildBatchFromData({ source: new CsvSource(data, { delimiter: ',' }), template: noTokens, output: path.join(dir, 'd.batch.jsonl'), onBad: 'skip' });
    assert.equal(build.requests, 1);
    assert.equal(build.bad[0].line, 3);
    assert.match(build.bad[0].message, /its request would be rejected: .*max_tokens/);
    await discardBuild(build);
  });

  it('never overwrites without being told to', async () => {
    const dir = tempDir('exists');
    const data = writeData(dir, 'd.csv', 'id,text\n1,a\n');
    const output = writeData(dir, 'd.batch.jsonl', 'precious\n');
    const build = await buildBatchFromData({ source: new CsvSource(data, { delimiter: ',' }), template, output, onBad: 'skip' });
    await assert.rejects(commitBuild(build, { overwrite: false }), OutputExistsError);
    assert.equal(fs.readFileSync(output, 'utf8'), 'precious\n');
    await commitBuild(build, { overwrite: true });
    assert.match(fs.readFileSync(output, 'utf8'), /Summarise a/);
    assert.ok(fs.existsSync(linkPath(output)));
    assert.deepEqual(filesIn(dir), ['d.batch.jsonl', 'd.batch.jsonl.source.json', 'd.csv']);
  });

  it('says how many batches Submit will split a file over one batch into', async () => {
    const dir = tempDir('split');
    const rows = Array.from({ length: 100_001 }, (_, i) => `${i},t`).join('\n');
    const data = writeData(dir, 'd.csv', `id,text\n${rows}\n`);
    const build = await buildBatchFromData({ source: new CsvSource(data, { delimiter: ',' }), template, output: path.join(dir, 'd.batch.jsonl'), onBad: 'skip' });
    assert.equal(build.requests, 100_001);
    assert.equal(build.parts, 2);
    await discardBuild(build);
  });
});

describe('data: results as CSV', () => {
  it("joins results to the data's rows one to one, in the data's order, with the outcome columns", async () => {
    const dir = tempDir('join');
    const data = writeData(dir, 'd.csv', 'id,text\nb,"x, ""y"""\n2\na,second\nc,third\n');
    const output = path.join(dir, 'd.batch.jsonl');
    const build = await buildBatchFromData({ source: await openDataSource(data), template, output, onBad: 'skip' });
    await commitBuild(build, { overwrite: false });
    const results = [
      { custom_id: 'c', result: { type: 'errored', error: { type: 'error', error: { type: 'overloaded_error', message: 'busy' } } } },
      { custom_id: 'b', result: { type: 'succeeded', message: { content: [{ type: 'text', text: 'line1\nline "2"' }], stop_reason: 'end_turn', usage: { input_tokens: 12, output_tokens: 5 } } } },
      { custom_id: 'zz', result: { type: 'expired' } },
    ];
    // As two parts of a split file: each part's results in its own file.
    const resultsPaths = [writeData(dir, 'results-1.jsonl', results.slice(0, 2).map((r) => JSON.stringify(r)).join('\n') + '\n'), writeData(dir, 'results-2.jsonl', `${JSON.stringify(results[2])}\n`)];
    const csvOut = path.join(dir, 'out', 'd.results.csv');
    const summary = await writeResultsCsv({ resultsPaths, link: (await readSourceLink(output))!, source: await openDataSource(data), output: csvOut });
    assert.deepEqual(summary, { rows: 4, withResult: 2, withoutResult: 1, notSent: 1, unmatchedResults: 1 });
    assert.equal(
      fs.readFileSync(csvOut, 'utf8'),
      [
        'id,text,outcome,text_1,error_type,error_message,stop_reason,input_tokens,output_tokens'.replace('text_1', 'result_text'),
        'b,"x, ""y""",succeeded,"line1\nline ""2""",,,end_turn,12,5',
        ',,not_sent,,,,,,',
        'a,second,no_result,,,,,,',
        'c,third,errored,,overloaded_error,busy,,,',
        '',
      ].join('\r\n'),
    );
    assert.deepEqual(filesIn(path.join(dir, 'out')), ['d.results.csv']);
  });
});
