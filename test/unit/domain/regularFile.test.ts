import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readSourceLink } from '../../../src/domain/data/sourceLink';
import { FileTooLargeError, NotRegularFileError, readRegularFile } from '../../../src/domain/regularFile';

describe('reading a small file whole, bounded', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regular-file-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a file up to its bound, byte for byte, and refuses one over it without reading it whole', async () => {
    const file = path.join(dir, 'a.json');
    fs.writeFileSync(file, 'x'.repeat(3 * 1024 * 1024));
    assert.equal((await readRegularFile(file, 3 * 1024 * 1024)).length, 3 * 1024 * 1024);
    await assert.rejects(readRegularFile(file, 3 * 1024 * 1024 - 1), FileTooLargeError);
  });

  it('refuses a pipe and a device at once, without blocking or reading forever', async function () {
    if (process.platform === 'win32') this.skip();
    const fifo = path.join(dir, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(readRegularFile(fifo, 1024), NotRegularFileError);
    const zero = path.join(dir, 'zero.json');
    fs.symlinkSync('/dev/zero', zero);
    await assert.rejects(readRegularFile(zero, 1024), NotRegularFileError);
  });

  it('a data link beside a batch file that is a pipe or not JSON is refused with what to do, not waited on', async function () {
    if (process.platform === 'win32') this.skip();
    const batch = path.join(dir, 'reviews.batch.jsonl');
    fs.writeFileSync(batch, '');
    assert.equal(await readSourceLink(batch), undefined, 'no link: nothing to join');
    execFileSync('mkfifo', [`${batch}.source.json`]);
    await assert.rejects(readSourceLink(batch), NotRegularFileError);
    fs.rmSync(`${batch}.source.json`);
    fs.writeFileSync(`${batch}.source.json`, '{not json');
    await assert.rejects(readSourceLink(batch), /is not a link this version of Claude Batches reads: build the batch file from its data again/);
  });
});
