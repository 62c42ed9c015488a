import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readLines, readRanges, readResults, ResultsArchive } from '../../../src/domain/results';
import { streamResultsToFile } from '../../../src/domain/results/resultsStream';
import { indexSource } from '../../../src/domain/results/sourceIndex';
import { LineTooLongError, MAX_LINE_BYTES } from '../../../src/domain/lineLimit';
import { NotRegularFileError } from '../../../src/domain/regularFile';
import { batchObject, succeeded, tempDir, within } from './helpers';

const MiB = 1024 * 1024;
const posix = process.platform !== 'win32';


describe('results lines: length cap and non-regular files', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir('limits')));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('readLines stops at a line over the cap with its line number and the file', async () => {
    const file = path.join(dir, 'r.jsonl');
    fs.writeFileSync(file, `${JSON.stringify(succeeded('a'))}\n${'z'.repeat(10_000)}`);
    const seen: number[] = [];
    await assert.rejects(
      readLines(file, (_b, _s, _e, _o, n) => seen.push(n), { maxLineBytes: 4096 }),
      (err: unknown) => {
        assert.ok(err instanceof LineTooLongError, String(err));
        assert.equal(err.line, 2);
        assert.match(err.message, /r\.jsonl: line 2 is longer than 4\.0 KB/);
        return true;
      },
    );
    assert.deepEqual(seen, [1]);
  });

  it('readResults (the iterator) has the same cap', async () => {
    const file = path.join(dir, 'r.jsonl');
    fs.writeFileSync(file, 'q'.repeat(10_000));
    await assert.rejects(
      (async () => {
        for await (const _ of readResults(file, { maxLineBytes: 4096 })) void _;
      })(),
      (err: unknown) => err instanceof LineTooLongError && err.line === 1,
    );
  });

  it('a results file that is a symlink to /dev/zero, or a FIFO, is refused without reading or blocking', async function () {
    if (!posix || !fs.existsSync('/dev/zero')) this.skip();
    const link = path.join(dir, 'zero.jsonl');
    fs.symlinkSync('/dev/zero', link);
    await assert.rejects(within(2000, readLines(link, () => undefined)), NotRegularFileError);
    await assert.rejects(within(2000, readRanges(link, [{ offset: 0, length: 10 }], () => undefined)), NotRegularFileError);
    const fifo = path.join(dir, 'pipe.jsonl');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(within(2000, readLines(fifo, () => undefined)), NotRegularFileError);
    await assert.rejects(within(2000, readRanges(fifo, [{ offset: 0, length: 10 }], () => undefined)), NotRegularFileError);
  });

  it('a download whose line never ends stops at the cap: incomplete, with a clear reason, the stream closed', async () => {
    const batch = batchObject('msgbatch_long', { succeeded: 3 });
    let pulled = 0;
    let closed = false;
    const block = Buffer.alloc(MiB, 0x61);
    const source = {
      results: () => Promise.reject(new Error('not used')),
      resultsBody: async () => ({
        batch,
        body: (async function* () {
          try {
            yield Buffer.from(`${JSON.stringify(succeeded('a'))}\n`);
            for (let i = 0; i < 1000; i++) {
              pulled += block.length;
              yield block;
            }
          } finally {
            closed = true;
          }
        })(),
      }),
    };
    const file = path.join(dir, 'out.jsonl');
    const got = await streamResultsToFile(source, batch.id, file);
    assert.equal(got.complete, false);
    assert.equal(got.lines, 1);
    assert.ok(got.error instanceof LineTooLongError);
    assert.match(String((got.error as Error).message), /line 2 is longer than 32 MB/);
    assert.ok(pulled <= MAX_LINE_BYTES + MiB, `pulled ${pulled}`);
    assert.ok(closed, 'the response stream was closed');
    // The archive keeps what arrived and says why the rest did not.
    const archive = new ResultsArchive(path.join(dir, 'archive'));
    const download = await archive.download(source, batch.id);
    assert.equal(download.complete, false);
    assert.match(download.error ?? '', /longer than 32 MB/);
  });
});

describe('source index: length cap', () => {
  it('a source file with a line over the cap stops the indexing at that line, with advice for a batch file', async () => {
    const dir = tempDir('source-limits');
    try {
      const file = path.join(dir, 'source.jsonl');
      fs.writeFileSync(file, `{"custom_id":"a","params":{}}\n${'s'.repeat(MAX_LINE_BYTES + 1)}\n`);
      await assert.rejects(indexSource(file), (err: unknown) => {
        assert.ok(err instanceof LineTooLongError, String(err));
        assert.equal(err.line, 2);
        assert.match(err.message, /source\.jsonl: line 2 is longer than 32 MB.*one request per line/);
        return true;
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
