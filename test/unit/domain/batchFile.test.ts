import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileSource, partBody, scanBatchFile, SourceChangedError, type BatchSource } from '../../../src/domain/batchUpload';
import { NotRegularFileError } from '../../../src/domain/regularFile';
import { LineTooLongError } from '../../../src/domain/lineLimit';
import { within } from '../results/helpers';

const line = (id: string) => JSON.stringify({ custom_id: id, params: { model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: `question ${id}` }] } });


const posix = process.platform !== 'win32';

describe('batch files on disk: what is refused before reading', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-batches-file-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a regular file is scanned and streamed as before', async () => {
    const file = path.join(dir, 'ok.jsonl');
    fs.writeFileSync(file, `${line('a')}\n${line('b')}\n`);
    const source = fileSource(file);
    const scan = await scanBatchFile(source);
    assert.equal(scan.validation.errorCount, 0);
    const pieces: Buffer[] = [];
    for await (const piece of partBody(source, scan.parts[0])) pieces.push(Buffer.from(piece));
    assert.equal(Buffer.concat(pieces).toString(), `{"requests":[${line('a')},${line('b')}]}`);
  });

  it('a symlink to /dev/zero is refused, not read', async function () {
    if (!posix || !fs.existsSync('/dev/zero')) this.skip();
    const link = path.join(dir, 'zero.jsonl');
    fs.symlinkSync('/dev/zero', link);
    const before = process.memoryUsage().rss;
    await assert.rejects(within(2000, scanBatchFile(fileSource(link))), (err: unknown) => {
      assert.ok(err instanceof NotRegularFileError, String(err));
      assert.match(err.message, /zero\.jsonl is not a regular file \(it is a character device\)/);
      return true;
    });
    // Nothing was buffered (the bug read hundreds of MB in seconds).
    assert.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024);
  });

  it('a named pipe (FIFO) is refused without blocking, even with no writer', async function () {
    if (!posix) this.skip();
    const fifo = path.join(dir, 'pipe.jsonl');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      this.skip();
    }
    await assert.rejects(within(2000, scanBatchFile(fileSource(fifo))), (err: unknown) => err instanceof NotRegularFileError && /named pipe/.test(err.message));
  });

  it('a directory is refused', async () => {
    const sub = path.join(dir, 'folder.jsonl');
    fs.mkdirSync(sub);
    await assert.rejects(scanBatchFile(fileSource(sub)), (err: unknown) => err instanceof NotRegularFileError && /is a directory/.test(err.message));
  });

  it('a missing file says so', async () => {
    await assert.rejects(scanBatchFile(fileSource(path.join(dir, 'none.jsonl'))), /ENOENT|no such file/);
  });

  it('a file with a line over the cap: the scan reports it at its line and reads no further', async () => {
    const file = path.join(dir, 'long.jsonl');
    fs.writeFileSync(file, `${line('a')}\n${'x'.repeat(5000)}\n${line('b')}\n`);
    const scan = await scanBatchFile(fileSource(file, { chunkBytes: 1024 }), { maxRequests: 10, maxBodyBytes: 1e6, maxLineBytes: 4096 });
    const errors = scan.validation.diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errors.map((d) => [d.line, d.code]), [[2, 'line-too-long']]);
    assert.match(errors[0].message, /line 2 is longer than 4\.0 KB/);
  });

  it('a line that grew over the cap between the scan and the upload stops the body (nothing is created)', async () => {
    let text = `${line('a')}\n${line('b')}\n`;
    const source: BatchSource = {
      async *open() {
        yield Buffer.from(text);
      },
    };
    const scan = await scanBatchFile(source, { maxRequests: 10, maxBodyBytes: 1e6, maxLineBytes: 1000 });
    text = `${line('a')}\n${'y'.repeat(5000)}\n`;
    await assert.rejects(
      (async () => {
        for await (const _ of partBody(source, scan.parts[0], { maxLineBytes: 1000 })) void _;
      })(),
      (err: unknown) => err instanceof SourceChangedError && err.cause instanceof LineTooLongError,
    );
  });
});
