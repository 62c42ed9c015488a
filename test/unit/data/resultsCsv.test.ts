import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { buildBatchFromData, commitBuild, csvRow, openDataSource, parseTemplate, readSourceLink, writeResultsCsv, type DataItem, type DataSource, type SourceLink } from '../../../src/domain/data';
import { filesIn, TEMPLATE, tempDir, writeData } from './helpers';

const template = parseTemplate(JSON.stringify(TEMPLATE));
const HEADER = 'id,text,outcome,result_text,error_type,error_message,stop_reason,input_tokens,output_tokens\r\n';

const succeeded = (id: string, text: string) => ({ custom_id: id, result: { type: 'succeeded', message: { content: [{ type: 'text', text }], stop_reason: 'end_turn', usage: { input_tokens: 3, output_tokens: 4 } } } });
const line = (value: unknown) => `${JSON.stringify(value)}\n`;
/** The CSV row of a record whose request succeeded with `answer`. */
const answered = (id: string, text: string, answer: string) => csvRow([id, text, 'succeeded', answer, '', '', 'end_turn', '3', '4']);
const unanswered = (id: string, text: string) => csvRow([id, text, 'no_result', '', '', '', '', '', '']);

/** Data of `rows` records (ids r0, r1, …; row 3 is bad and not sent when there are more than 3), built into a batch file. */
async function built(dir: string, rows: number): Promise<{ data: string; link: SourceLink; texts: string[] }> {
  const texts = Array.from({ length: rows }, (_, i) => `text ${i}, "quoted"\nsecond line`);
  const body = texts.map((t, i) => (i === 3 ? 'broken,row,with,cells\r\n' : csvRow([`r${i}`, t]))).join('');
  const data = writeData(dir, 'd.csv', csvRow(['id', 'text']) + body);
  const output = path.join(dir, 'd.batch.jsonl');
  const build = await buildBatchFromData({ source: await openDataSource(data), template, output, onBad: 'skip' });
  await commitBuild(build, { overwrite: true });
  return { data, link: (await readSourceLink(output))!, texts };
}

describe('data: results CSV, joined in bounded memory', () => {
  it('gives one row per record in the data order, whatever the results order, however they are split in files and partitions', async () => {
    const dir = tempDir('results-order');
    const rows = 24;
    const { data, link, texts } = await built(dir, rows);
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(
          Array.from({ length: rows }, (_, i) => i).filter((i) => i !== 3),
          { minLength: 0 },
        ),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4000 }),
        // Held in memory, or (skewed sizes) read line by line from the partition's file.
        fc.constantFrom(0, 64, 1 << 20),
        async (answeredRows, files, partitionBytes, maxPartitionInMemory) => {
          // The answered rows, in the order drawn, dealt over `files` results files.
          const contents = Array.from({ length: files }, () => '');
          answeredRows.forEach((i, k) => (contents[k % files] += line(succeeded(`r${i}`, `answer ${i}`))));
          const resultsPaths = contents.map((c, f) => writeData(dir, `results-${f}.jsonl`, c));
          const scratch = tempDir('results-scratch');
          const output = path.join(dir, 'out.csv');
          const summary = await writeResultsCsv({ resultsPaths, link, source: await openDataSource(data), output, partitionBytes, maxPartitionInMemory, tempDir: scratch });
          const expected = texts.map((t, i) => (i === 3 ? csvRow(['', '', 'not_sent', '', '', '', '', '', '']) : answeredRows.includes(i) ? answered(`r${i}`, t, `answer ${i}`) : unanswered(`r${i}`, t)));
          assert.equal(fs.readFileSync(output, 'utf8'), HEADER + expected.join(''));
          assert.deepEqual(summary, { rows, withResult: answeredRows.length, withoutResult: rows - 1 - answeredRows.length, notSent: 1, unmatchedResults: 0 });
          assert.deepEqual(filesIn(scratch), [], 'no temp file left');
        },
      ),
      { numRuns: 25 },
    );
  });

  it('takes the last readable result of a custom_id given more than once, skips blank and damaged lines, reads a custom_id written with escapes, and counts results no record has once each', async () => {
    const dir = tempDir('results-duplicates');
    const { data, link, texts } = await built(dir, 3);
    const results = [
      line(succeeded('r0', 'first')),
      '\n',
      line(succeeded('zz', 'nobody asked')),
      line(succeeded('r0', 'second')),
      '{"custom_id":"r0","result":{"type":"succeeded", damaged\n',
      '{"custom_id":"r1"}\n',
      'not json at all\n',
      line(succeeded('zz', 'again')),
      '{"custom_id":"yy","result":null}\n',
      '{"custom_id":"","result":{"type":"expired"}}\n',
      '{"custom_id":"r\\u0031","result":{"type":"expired"}}\n',
      line(succeeded('r2', 'only')),
    ].join('');
    for (const [partitionBytes, maxPartitionInMemory] of [[1, undefined], [1 << 20, undefined], [1 << 20, 0], [1 << 20, 100]]) {
      const output = path.join(dir, `out-${partitionBytes}-${maxPartitionInMemory}.csv`);
      const summary = await writeResultsCsv({ resultsPaths: [writeData(dir, 'r.jsonl', results)], link, source: await openDataSource(data), output, partitionBytes, maxPartitionInMemory });
      assert.equal(fs.readFileSync(output, 'utf8'), HEADER + answered('r0', texts[0], 'second') + csvRow(['r1', texts[1], 'expired', '', '', '', '', '', '']) + answered('r2', texts[2], 'only'));
      assert.deepEqual(summary, { rows: 3, withResult: 3, withoutResult: 0, notSent: 0, unmatchedResults: 2 });
    }
  });

  it('a partition left in its file (skewed sizes) is read right across its blocks, long lines and all, and nothing of it stays', async () => {
    const dir = tempDir('results-skewed');
    const rows = 24;
    const { data, link, texts } = await built(dir, rows);
    // Answers of 90 KB to 1.6 MB: frames straddle the 1 MB blocks of the scan, and one line is longer than a block.
    const answer = (i: number) => `${i}:`.padEnd(i === 7 ? 1_600_000 : 90_000 + i * 997, String.fromCharCode(97 + (i % 26)));
    const order = Array.from({ length: rows }, (_, i) => i).filter((i) => i !== 3).reverse();
    const results = writeData(dir, 'r.jsonl', order.map((i) => line(succeeded(`r${i}`, answer(i)))).join(''));
    const scratch = tempDir('results-skewed-scratch');
    const output = path.join(dir, 'out.csv');
    const summary = await writeResultsCsv({ resultsPaths: [results], link, source: await openDataSource(data), output, partitionBytes: 1 << 30, maxPartitionInMemory: 1 << 20, tempDir: scratch });
    assert.deepEqual(summary, { rows, withResult: rows - 1, withoutResult: 0, notSent: 1, unmatchedResults: 0 });
    const expected = texts.map((t, i) => (i === 3 ? csvRow(['', '', 'not_sent', '', '', '', '', '', '']) : answered(`r${i}`, t, answer(i))));
    assert.ok(fs.readFileSync(output, 'utf8') === HEADER + expected.join(''), 'the CSV differs from the data joined with its answers');
    assert.deepEqual(filesIn(scratch), []);
  });

  it('counts as unmatched the results of records the data no longer has', async () => {
    const dir = tempDir('results-shorter');
    const { link } = await built(dir, 6);
    const shorter = writeData(dir, 'short.csv', csvRow(['id', 'text']) + csvRow(['r0', 'a']));
    const results = writeData(dir, 'r.jsonl', [0, 1, 2, 4, 5].map((i) => line(succeeded(`r${i}`, `answer ${i}`))).join(''));
    for (const partitionBytes of [1, 1 << 20]) {
      const summary = await writeResultsCsv({ resultsPaths: [results], link, source: await openDataSource(shorter), output: path.join(dir, 'out.csv'), partitionBytes });
      assert.deepEqual(summary, { rows: 1, withResult: 1, withoutResult: 0, notSent: 0, unmatchedResults: 4 });
    }
  });

  it('leaves neither the CSV nor its temp files behind when reading the data fails', async () => {
    const dir = tempDir('results-failure');
    const { data, link } = await built(dir, 8);
    const results = writeData(dir, 'r.jsonl', [0, 1, 2, 4, 5, 6, 7].map((i) => line(succeeded(`r${i}`, `answer ${i}`))).join(''));
    const real = await openDataSource(data);
    const failing: DataSource = {
      kind: real.kind,
      path: real.path,
      columns: () => real.columns(),
      async *records(signal?: AbortSignal): AsyncGenerator<DataItem> {
        let n = 0;
        for await (const item of real.records(signal)) {
          if (++n === 5) throw new Error('the disk went away');
          yield item;
        }
      },
    };
    const scratch = tempDir('results-scratch');
    const output = path.join(dir, 'out', 'd.results.csv');
    await assert.rejects(writeResultsCsv({ resultsPaths: [results], link, source: failing, output, partitionBytes: 100, tempDir: scratch }), /the disk went away/);
    assert.deepEqual(filesIn(scratch), []);
    assert.deepEqual(filesIn(path.join(dir, 'out')), []);
  });

  it('stages beside the CSV by default, and leaves only the CSV there', async () => {
    const dir = tempDir('results-beside');
    const { data, link } = await built(dir, 6);
    const results = writeData(dir, 'r.jsonl', [0, 1, 2, 4, 5].map((i) => line(succeeded(`r${i}`, `answer ${i}`))).join(''));
    const outDir = path.join(dir, 'out');
    fs.mkdirSync(outDir);
    const staged: string[] = [];
    const watcher = fs.watch(outDir, (_event, name) => name && staged.push(String(name)));
    try {
      await writeResultsCsv({ resultsPaths: [results], link, source: await openDataSource(data), output: path.join(outDir, 'd.results.csv'), partitionBytes: 1 });
    } finally {
      watcher.close();
    }
    assert.deepEqual(filesIn(outDir), ['d.results.csv']);
    assert.ok(staged.some((n) => n.startsWith('.d.results.csv.staging-')), `staged elsewhere: ${staged.join(', ')}`);
  });

  it('a target that cannot be written is said as such (which file, why, what to do) and leaves nothing; a results file that cannot be read is not blamed on the target', async () => {
    const dir = tempDir('results-target');
    const { data, link } = await built(dir, 4);
    const results = writeData(dir, 'r.jsonl', line(succeeded('r0', 'a')));
    const folder = path.join(dir, 'a-folder.csv');
    fs.mkdirSync(folder);
    await assert.rejects(
      writeResultsCsv({ resultsPaths: [results], link, source: await openDataSource(data), output: folder }),
      (err: Error) => err.name === 'SaveFailedError' && /^Cannot save to .*a-folder\.csv: it is a folder \(EISDIR\)\. Choose another file, then save again\.$/.test(err.message),
    );
    assert.deepEqual(filesIn(folder), []);
    assert.deepEqual(filesIn(dir).filter((n) => n.includes('staging') || n.endsWith('.part')), []);
    const underAFile = path.join(dir, 'r.jsonl', 'out.csv');
    await assert.rejects(
      writeResultsCsv({ resultsPaths: [results], link, source: await openDataSource(data), output: underAFile }),
      (err: Error) => err.name === 'SaveFailedError' && /a part of its path is a file, not a folder \(ENOTDIR\)/.test(err.message),
    );
    const output = path.join(dir, 'fine.csv');
    await assert.rejects(
      // Read after the staging is made: a folder given as results.
      writeResultsCsv({ resultsPaths: [folder], link, source: await openDataSource(data), output }),
      (err: Error) => err.name !== 'SaveFailedError' && /a-folder\.csv/.test(err.message),
    );
    assert.ok(!fs.existsSync(output));
    assert.deepEqual(filesIn(dir).filter((n) => n.includes('staging') || n.endsWith('.part')), []);
  });
});
