import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { DataFileError, FolderSource, JsonArraySource, JsonlSource, openDataSource } from '../../../src/domain/data';
import { readAll, tempDir, writeData } from './helpers';

describe('data: JSON, JSONL and folder records', () => {
  const dir = tempDir('json');

  it('JSONL: objects by key and dotted path; other values, non-JSON and non-UTF-8 lines are bad at their line', async () => {
    const bytes = Buffer.concat([
      Buffer.from('\uFEFF{"id":"a","author":{"name":"Ann"},"n":3}\r\n\n[1,2]\n"text"\nnot json\n{"id":"b","x.y":1}\n{"id":"'),
      Buffer.from([0xff]),
      Buffer.from('"}\nnull\n'),
    ]);
    const read = await readAll(new JsonlSource(writeData(dir, 'data.jsonl', bytes)), ['id', 'author.name', 'n', 'x.y']);
    assert.deepEqual(read.records.map((r) => [r.line, r.number, r.fields]), [
      [1, 1, { id: 'a', 'author.name': 'Ann', n: 3, 'x.y': undefined }],
      [6, 5, { id: 'b', 'author.name': undefined, n: undefined, 'x.y': 1 }],
    ]);
    assert.deepEqual(read.bad.map((b) => b.line), [3, 4, 5, 7, 8]);
    assert.match(read.bad[0].message, /is an array, not an object/);
    assert.match(read.bad[1].message, /is a string, not an object/);
    assert.match(read.bad[2].message, /not JSON/);
    assert.match(read.bad[3].message, /not UTF-8/);
    assert.match(read.bad[4].message, /is null, not an object/);
  });

  it('JSONL: columns are the keys of the first records, nested ones as paths', async () => {
    const source = new JsonlSource(writeData(dir, 'cols.jsonl', '{"id":1,"meta":{"lang":"en"}}\n{"id":2,"extra":true}\n'));
    assert.deepEqual(await source.columns(), ['id', 'meta', 'meta.lang', 'extra']);
  });

  it('JSON: an array of objects, each at the line it starts on; non-objects are bad', async () => {
    const text = '[\n  {"id": "a", "t": "x,]}"},\n  42,\n  {\n    "id": "b"\n  }\n]\n';
    const read = await readAll(new JsonArraySource(writeData(dir, 'data.json', text)), ['id', 't']);
    assert.deepEqual(read.records.map((r) => [r.line, r.fields.id]), [
      [2, 'a'],
      [4, 'b'],
    ]);
    assert.deepEqual(read.bad.map((b) => [b.line, b.number]), [[3, 2]]);
    assert.match(read.bad[0].message, /is a number, not an object/);
  });

  it('JSON: a file that is not an array, or not JSON, is refused with its line', async () => {
    await assert.rejects(readAll(new JsonArraySource(writeData(dir, 'obj.json', '{"a":1}')), []), (e: unknown) => e instanceof DataFileError && /holds an object: JSON data is an array of objects/.test(e.message));
    await assert.rejects(readAll(new JsonArraySource(writeData(dir, 'bad.json', '[\n{"a":1},\n{"a":}\n]')), []), (e: unknown) => e instanceof DataFileError && e.line === 3);
    await assert.rejects(readAll(new JsonArraySource(writeData(dir, 'open.json', '[\n{"a":1},\n{"a":2}\n')), []), (e: unknown) => e instanceof DataFileError && /the file ends inside an array: close it/.test(e.message) && !/single line/.test(e.message));
    await assert.rejects(readAll(new JsonArraySource(writeData(dir, 'latin.json', Buffer.concat([Buffer.from('[\n{"a":"'), Buffer.from([0xe9]), Buffer.from('"}]')]))), []), (e: unknown) => e instanceof DataFileError && e.line === 2 && /not UTF-8/.test(e.message));
  });

  it('folder: each text file is a record with file.name, file.path and file.text; hidden and binary files are not', async () => {
    const folder = path.join(dir, 'docs');
    writeData(folder, 'b.txt', 'bee');
    writeData(folder, 'a.md', '\uFEFFay');
    writeData(folder, 'sub/c.txt', 'sea');
    writeData(folder, '.hidden', 'no');
    writeData(folder, 'image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe]));
    const read = await readAll(new FolderSource(folder), ['file.name', 'file.path', 'file.text']);
    assert.deepEqual(read.records.map((r) => r.fields), [
      { 'file.name': 'a.md', 'file.path': 'a.md', 'file.text': 'ay' },
      { 'file.name': 'b.txt', 'file.path': 'b.txt', 'file.text': 'bee' },
      { 'file.name': 'c.txt', 'file.path': 'sub/c.txt', 'file.text': 'sea' },
    ]);
    assert.deepEqual(read.bad.map((b) => [b.where, b.column]), [['image.png', 'file.text']]);
    assert.equal((await openDataSource(folder)).kind, 'folder');
  });

  it('folder: a file over the bound is a bad record, named, and not read', async () => {
    const folder = path.join(dir, 'big');
    writeData(folder, 'small.txt', 'ok');
    writeData(folder, 'large.txt', 'x'.repeat(10));
    const read = await readAll(new FolderSource(folder, 4), ['file.name', 'file.text']);
    assert.deepEqual(read.records.map((r) => r.fields['file.name']), ['small.txt']);
    assert.deepEqual(read.bad.map((b) => [b.where, b.column]), [['large.txt', 'file.text']]);
    assert.match(read.bad[0].message, /was not read: it is more than any request can use \(at most 4 B\)/);
  });

  it('chooses the reader by extension, and refuses other files', async () => {
    assert.equal((await openDataSource(writeData(dir, 'x.tsv', 'a\n'))).kind, 'tsv');
    assert.equal((await openDataSource(writeData(dir, 'x.jsonl', ''))).kind, 'jsonl');
    await assert.rejects(openDataSource(writeData(dir, 'x.xlsx', '')), /not data a batch can be built from/);
  });
});
