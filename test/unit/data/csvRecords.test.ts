import { strict as assert } from 'node:assert';
import { CsvSource, DataFileError } from '../../../src/domain/data';
import { readAll, tempDir, writeData } from './helpers';

describe('data: CSV and TSV records', () => {
  const dir = tempDir('csv');
  const csv = (name: string, content: string | Buffer, chunkBytes?: number) => new CsvSource(writeData(dir, name, content), { delimiter: ',', chunkBytes });

  it('reads quoted cells holding commas, quotes and newlines, and numbers rows by the line they start on', async () => {
    const source = csv('quoted.csv', 'id,text\n1,"a, b"\n2,"say ""hi"""\n3,"two\nlines"\n4,last\n');
    const read = await readAll(source, ['id', 'text']);
    assert.deepEqual(read.bad, []);
    assert.deepEqual(
      read.records.map((r) => [r.line, r.fields.id, r.fields.text]),
      [
        [2, '1', 'a, b'],
        [3, '2', 'say "hi"'],
        [4, '3', 'two\nlines'],
        [6, '4', 'last'],
      ],
    );
    assert.deepEqual(await source.columns(), ['id', 'text']);
  });

  it('takes a BOM and \\r\\n line ends, and the lines stay right after a quoted \\r\\n', async () => {
    const read = await readAll(csv('crlf.csv', '\uFEFFid,text\r\n1,"x\r\ny"\r\n2,z\r\n'), ['id', 'text']);
    assert.deepEqual(read.records.map((r) => [r.line, r.fields.id, r.fields.text]), [
      [2, '1', 'x\r\ny'],
      [4, '2', 'z'],
    ]);
  });

  it('keeps empty cells as empty text and skips blank lines', async () => {
    const read = await readAll(csv('empty.csv', 'id,a,b\n1,,x\n\n2,y,\n'), ['id', 'a', 'b']);
    assert.deepEqual(read.records.map((r) => [r.line, r.fields]), [
      [2, { id: '1', a: '', b: 'x' }],
      [4, { id: '2', a: 'y', b: '' }],
    ]);
  });

  it('reports a ragged row at its own line, and goes on with the next rows', async () => {
    const read = await readAll(csv('ragged.csv', 'id,a,b\n1,x,y\n2,x\n3,x,y,z\n4,x,y\n'), ['id']);
    assert.deepEqual(read.records.map((r) => r.fields.id), ['1', '4']);
    assert.deepEqual(read.bad.map((b) => [b.line, b.number]), [
      [3, 2],
      [4, 3],
    ]);
    assert.match(read.bad[0].message, /the row has 2 cells, the header 3/);
  });

  it('refuses a header with a repeated name, saying which columns', async () => {
    await assert.rejects(readAll(csv('dup.csv', 'id,text,text\n1,a,b\n'), ['id']), (err: unknown) => {
      assert.ok(err instanceof DataFileError);
      assert.equal(err.line, 1);
      assert.equal(err.column, 'text');
      assert.match(err.message, /Columns 2 and 3 of the header row are both named "text"/);
      return true;
    });
  });

  it('refuses a header with an unnamed column, at the header line', async () => {
    await assert.rejects(readAll(csv('noname.csv', '\n\nid,,b\n1,2,3\n'), ['id']), (err: unknown) => err instanceof DataFileError && err.line === 3 && /Column 2 of the header row has no name/.test(err.message));
  });

  it('refuses an empty file: there is no header', async () => {
    await assert.rejects(readAll(csv('nothing.csv', ''), []), (err: unknown) => err instanceof DataFileError && /needs a header row/.test(err.message));
  });

  it('reports bytes that are not UTF-8 at their line, even where a read cuts them off', async () => {
    const bytes = Buffer.concat([Buffer.from('id,text\n1,ok\n2,caf'), Buffer.from([0xe9]), Buffer.from('\n3,caf\u00e9\n4,\u20ac\n')]);
    for (const chunkBytes of [1, 2, 3, 5, 64]) {
      const read = await readAll(csv(`latin1-${chunkBytes}.csv`, bytes, chunkBytes), ['id', 'text']);
      assert.deepEqual(read.records.map((r) => [r.line, r.fields.text]), [
        [2, 'ok'],
        [4, 'caf\u00e9'],
        [5, '\u20ac'],
      ], `chunks of ${chunkBytes}`);
      assert.deepEqual(read.bad.map((b) => b.line), [3], `chunks of ${chunkBytes}`);
      assert.match(read.bad[0].message, /not UTF-8/);
    }
  });

  it('reports a character cut short at the very end of the file', async () => {
    const read = await readAll(csv('cut.csv', Buffer.concat([Buffer.from('id\n1\n2'), Buffer.from([0xe2, 0x82])])), ['id']);
    assert.deepEqual(read.records.map((r) => r.fields.id), ['1']);
    assert.deepEqual(read.bad.map((b) => b.line), [3]);
  });

  it('reports a 10 MB cell with its column, and reads the rows around it', async () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const read = await readAll(csv('big.csv', `id,text\n1,small\n2,${big}\n3,small\n`), ['id']);
    assert.deepEqual(read.records.map((r) => r.fields.id), ['1', '3']);
    assert.equal(read.bad.length, 1);
    assert.equal(read.bad[0].line, 3);
    assert.equal(read.bad[0].column, 'text');
    assert.match(read.bad[0].message, /10(\.0)? MB, more than any request can use/);
  });

  it('reports a quote never closed at the row that opens it', async () => {
    const read = await readAll(csv('open.csv', 'id,text\n1,a\n2,"never closed\n3,b\n'), ['id']);
    assert.deepEqual(read.records.map((r) => r.fields.id), ['1']);
    assert.deepEqual(read.bad.map((b) => b.line), [3]);
    assert.match(read.bad[0].message, /never closed/);
  });

  it('reads TSV with tabs, quoted cells and stray quotes', async () => {
    const source = new CsvSource(writeData(dir, 'data.tsv', 'id\ttext\n1\t5" screen\n2\t"a\tb"\n'), { delimiter: '\t' });
    const read = await readAll(source, ['id', 'text']);
    assert.equal(source.kind, 'tsv');
    assert.deepEqual(read.records.map((r) => r.fields.text), ['5" screen', 'a\tb']);
  });
});
