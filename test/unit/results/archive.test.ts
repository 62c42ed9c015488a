import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ResultsNotReadyError } from '../../../src/api';
import { ArchiveMissingError, removeStaleFiles, ResultsArchive, readResults, summarizeResults } from '../../../src/domain/results';
import { startEmulator, type Emulator } from '../../emulator';
import { decoderSource, errored, fullDisk, rawSource, request, serveBatch, succeeded, tempDir } from './helpers';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

function requests(n: number): ReturnType<typeof request>[] {
  return Array.from({ length: n }, (_, i) => request(`r${String(i).padStart(4, '0')}`, `Question number ${i}`));
}

describe('results archive', () => {
  let emu: Emulator;
  let dir: string;
  let archive: ResultsArchive;

  beforeEach(async () => {
    emu = await startEmulator({ timing: 'manual' });
    dir = tempDir('archive');
    archive = new ResultsArchive(dir, () => Date.UTC(2026, 0, 2));
  });
  afterEach(async () => {
    await emu.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const [via, make] of [
    ['raw', rawSource],
    ['decoder', decoderSource],
  ] as const) {
    it(`downloads every result into <id>.jsonl with a meta file (${via})`, async () => {
      const batch = emu.createBatch(requests(1200));
      emu.finish(batch.id);
      const progress: number[] = [];
      const got = await archive.download(make(emu.url, emu.apiKey), batch.id, { onProgress: (p) => progress.push(p.lines) });
      assert.equal(got.complete, true);
      assert.equal(got.via, via);
      assert.equal(got.lines, 1200);
      assert.equal(got.total, 1200);
      assert.equal(got.path, path.join(dir, `${batch.id}.jsonl`));
      assert.deepEqual(fs.readdirSync(dir).sort(), [`${batch.id}.jsonl`, `${batch.id}.meta.json`]);
      assert.equal(progress.at(-1), 1200);
      assert.ok(progress.length >= 2, 'progress is reported along the way');
      const meta = JSON.parse(fs.readFileSync(path.join(dir, `${batch.id}.meta.json`), 'utf8'));
      assert.equal(meta.complete, true);
      assert.equal(meta.lines, 1200);
      assert.equal(meta.batch.id, batch.id);
      assert.equal(meta.downloadedAt, '2026-01-02T00:00:00.000Z');

      const status = await archive.status(batch.id);
      assert.deepEqual(
        { complete: status?.complete, lines: status?.lines, total: status?.total, path: status?.path },
        { complete: true, lines: 1200, total: 1200, path: got.path },
      );
      const reader = archive.open(batch.id);
      const results = await collect(reader);
      assert.equal(results.length, 1200);
      assert.equal(new Set(results.map((r) => r.custom_id)).size, 1200);
      assert.ok(results.every((r) => r.result.type === 'succeeded'));
      assert.equal(reader.stats.malformedLines, 0);
    });

    it(`keeps what arrived of a cut-off stream as a partial copy, never complete (${via})`, async () => {
      const batch = emu.createBatch(requests(1500));
      emu.finish(batch.id);
      emu.faults.add({ route: 'results', cutAfterLines: 1000 });
      const got = await archive.download(make(emu.url, emu.apiKey), batch.id);
      assert.equal(got.complete, false);
      assert.equal(got.reason, 'cut');
      assert.equal(got.lines, 1000);
      assert.equal(got.total, 1500);
      assert.ok(got.failure, 'the error that broke the stream is handed back');
      assert.equal(got.path, path.join(dir, `${batch.id}.partial.jsonl`));
      assert.equal(fs.existsSync(path.join(dir, `${batch.id}.jsonl`)), false, 'no file under the complete name');
      const status = await archive.status(batch.id);
      assert.equal(status?.complete, false);
      assert.equal(status?.lines, 1000);
      assert.equal((await collect(archive.open(batch.id))).length, 1000);

      // Downloading again replaces the partial copy.
      const again = await archive.download(make(emu.url, emu.apiKey), batch.id);
      assert.equal(again.complete, true);
      assert.equal(again.lines, 1500);
      assert.deepEqual(fs.readdirSync(dir).sort(), [`${batch.id}.jsonl`, `${batch.id}.meta.json`]);
      assert.equal((await archive.status(batch.id))?.complete, true);
    });
  }

  for (const [via, make] of [
    ['raw', rawSource],
    ['decoder', decoderSource],
  ] as const) {
    it(`summarizes while downloading: the same summary as a pass over the file (${via})`, async () => {
      const reqs = requests(900).map((r, i) => (i % 13 === 0 ? request(r.custom_id, `broken ${i} [[emulator:api_error]]`) : i % 17 === 0 ? request(r.custom_id, `late ${i} [[emulator:expired]]`) : r));
      const batch = emu.createBatch(reqs);
      emu.finish(batch.id);
      const source = path.join(dir, 'source.jsonl');
      fs.writeFileSync(source, reqs.map((r) => JSON.stringify(r)).join('\n') + '\n');
      const { download, summary } = await archive.downloadAndSummarize(make(emu.url, emu.apiKey), batch.id, { source, maxEntries: 50 });
      assert.equal(download.complete, true);
      const fromFile = await summarizeResults(download.path, { source, maxEntries: 50 });
      assert.deepEqual(summary, fromFile);
      assert.equal(summary.counts.errored, Math.ceil(900 / 13));
      assert.equal(summary.succeeded.entries[0].customId, 'r0001');

      // Cut off: the summary describes what the partial file holds.
      emu.faults.add({ route: 'results', cutAfterLines: 400 });
      await archive.delete(batch.id);
      const cut = await archive.downloadAndSummarize(make(emu.url, emu.apiKey), batch.id, { source });
      assert.equal(cut.download.complete, false);
      assert.equal(cut.summary.results, 400);
      assert.deepEqual(cut.summary, await summarizeResults(cut.download.path, { source }));
      assert.equal(cut.summary.source?.requestsWithoutResult, 500);
    });
  }

  it('stops the download and throws what the line consumer threw', async () => {
    const batch = emu.createBatch(requests(600));
    emu.finish(batch.id);
    let seen = 0;
    await assert.rejects(
      archive.download(rawSource(emu.url, emu.apiKey), batch.id, {
        onLine: () => {
          if (++seen === 100) throw new RangeError('consumer broke');
        },
      }),
      RangeError,
    );
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('does not trade a complete copy for a cut-off one', async () => {
    const batch = emu.createBatch(requests(800));
    emu.finish(batch.id);
    const source = rawSource(emu.url, emu.apiKey);
    await archive.download(source, batch.id);
    emu.faults.add({ route: 'results', cutAfterLines: 500 });
    const again = await archive.download(source, batch.id);
    assert.equal(again.keptPrevious, true);
    assert.equal(again.complete, true);
    assert.equal(again.lines, 800);
    assert.equal(again.reason, 'cut');
    assert.deepEqual(fs.readdirSync(dir).sort(), [`${batch.id}.jsonl`, `${batch.id}.meta.json`]);
  });

  it('reports an aborted download as incomplete and keeps what arrived', async () => {
    const batch = emu.createBatch(requests(3000));
    emu.finish(batch.id);
    const controller = new AbortController();
    const got = await archive.download(rawSource(emu.url, emu.apiKey), batch.id, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.lines >= 1000) controller.abort();
      },
    });
    assert.equal(got.complete, false);
    assert.equal(got.reason, 'aborted');
    assert.ok(got.lines >= 1000 && got.lines < 3000, String(got.lines));
    assert.equal((await archive.status(batch.id))?.complete, false);
  });

  it('throws before writing anything when the batch has not ended', async () => {
    const batch = emu.createBatch(requests(3));
    await assert.rejects(archive.download(rawSource(emu.url, emu.apiKey), batch.id), ResultsNotReadyError);
    await assert.rejects(archive.download(decoderSource(emu.url, emu.apiKey), batch.id), ResultsNotReadyError);
    assert.deepEqual(fs.readdirSync(dir), []);
    assert.equal(await archive.status(batch.id), undefined);
  });

  it('deletes everything it holds for a batch', async () => {
    const batch = emu.createBatch(requests(5));
    emu.finish(batch.id);
    await archive.download(rawSource(emu.url, emu.apiKey), batch.id);
    fs.writeFileSync(path.join(dir, `${batch.id}.123-abc-1.part`), 'stale');
    await archive.delete(batch.id);
    assert.deepEqual(fs.readdirSync(dir), []);
    assert.equal(await archive.status(batch.id), undefined);
    await assert.rejects(collect(archive.open(batch.id)), ArchiveMissingError);
  });

  it('adopts a complete copy written before meta files existed', async () => {
    fs.writeFileSync(path.join(dir, 'msgbatch_old.jsonl'), [succeeded('a'), succeeded('b')].map((l) => JSON.stringify(l)).join('\n') + '\n');
    const status = await archive.status('msgbatch_old');
    assert.equal(status?.complete, true);
    assert.equal(status?.lines, 2);
    assert.ok(fs.existsSync(path.join(dir, 'msgbatch_old.meta.json')));
  });

  it('refuses ids that could leave the folder', async () => {
    await assert.rejects(() => archive.status('../x'));
    assert.throws(() => archive.completePath('a/b'));
  });

});

describe('results archive: what the emulator never sends', () => {
  let dir: string;
  let close: (() => Promise<void>) | undefined;
  const id = 'msgbatch_blank';
  const lines = [succeeded('a'), succeeded('b'), errored('c', 'api_error'), succeeded('d')].map((l) => JSON.stringify(l));

  beforeEach(() => {
    dir = tempDir('archive-raw');
  });
  afterEach(async () => {
    await close?.();
    close = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function serve(chunks: (string | Buffer)[], options: { cut?: boolean } = {}): Promise<string> {
    const server = await serveBatch(id, { succeeded: 3, errored: 1 }, chunks, options);
    close = server.close;
    return server.url;
  }

  it('raw: a blank line in the middle costs nothing; every result is kept and the blank counted', async () => {
    const url = await serve([`${lines[0]}\n${lines[1]}\n\n`, `  \r\n${lines[2]}\n`, `${lines[3]}\n`]);
    const got = await new ResultsArchive(dir).download(rawSource(url, 'k'), id);
    assert.equal(got.complete, true);
    assert.equal(got.lines, 4);
    assert.equal(got.blankLines, 2);
    const text = fs.readFileSync(got.path, 'utf8');
    assert.equal(text, `${lines.join('\n')}\n`, 'blank lines dropped, others byte for byte');
  });

  it('decoder: the SDK throws on the blank line; what came before is kept and the copy is not complete', async () => {
    const url = await serve([`${lines[0]}\n${lines[1]}\n\n${lines[2]}\n${lines[3]}\n`]);
    const got = await new ResultsArchive(dir).download(decoderSource(url, 'k'), id);
    assert.equal(got.complete, false);
    assert.equal(got.reason, 'malformed');
    assert.ok(got.failure instanceof SyntaxError);
    assert.equal(got.lines, 2);
    assert.deepEqual(
      (await collect(readResults(got.path))).map((r) => r.custom_id),
      ['a', 'b'],
    );
  });

  it('raw: a malformed line is kept and counted, the reader skips it, the rest survives', async () => {
    const url = await serve([`${lines[0]}\n{"custom_id":"x","res`, `ult": oops}\n${lines.slice(1).join('\n')}`]);
    const got = await new ResultsArchive(dir).download(rawSource(url, 'k'), id);
    assert.equal(got.lines, 5);
    assert.equal(got.suspectLines, 0, 'it does look like an object');
    const reader = readResults(got.path);
    assert.deepEqual(
      (await collect(reader)).map((r) => r.custom_id),
      ['a', 'b', 'c', 'd'],
    );
    assert.equal(reader.stats.malformedLines, 1);
    assert.deepEqual(reader.stats.malformedLineNumbers, [2]);
    assert.equal(fs.readFileSync(got.path, 'utf8').endsWith(`${lines[3]}\n`), true, 'a last line without a newline gets one');
  });

  it('raw: a stream cut inside a line keeps the whole lines and drops the half', async () => {
    const url = await serve([`${lines[0]}\n${lines[1]}\n${lines[2].slice(0, 30)}`], { cut: true });
    const got = await new ResultsArchive(dir).download(rawSource(url, 'k'), id);
    assert.equal(got.complete, false);
    assert.equal(got.reason, 'cut');
    assert.equal(got.lines, 2);
    assert.equal(fs.readFileSync(got.path, 'utf8'), `${lines[0]}\n${lines[1]}\n`);
  });

  it('a stream that ends early but cleanly is "short", not complete', async () => {
    const url = await serve([`${lines[0]}\n${lines[1]}\n`]);
    const got = await new ResultsArchive(dir).download(rawSource(url, 'k'), id);
    assert.equal(got.complete, false);
    assert.equal(got.reason, 'short');
    assert.equal(got.lines, 2);
    assert.equal(got.total, 4);
  });

  it('chunk boundaries anywhere give the same file', async () => {
    const body = Buffer.from(`${lines.join('\n')}\n`);
    for (const size of [1, 2, 7, 64, 333]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < body.length; i += size) chunks.push(body.subarray(i, i + size));
      const url = await serve(chunks);
      const got = await new ResultsArchive(dir).download(rawSource(url, 'k'), id);
      assert.equal(fs.readFileSync(got.path, 'utf8'), body.toString(), `chunk size ${size}`);
      await close?.();
      close = undefined;
    }
  });
});

describe('results archive: a full disk', () => {
  let dir: string;
  const closers: (() => Promise<void>)[] = [];
  const id = 'msgbatch_full';
  const COUNT = 3000;
  // About 1 KB per line: 3 MB in all, several of the archive's 1 MB write blocks.
  const lines = Array.from({ length: COUNT }, (_, i) => JSON.stringify(succeeded(`r${String(i).padStart(4, '0')}`, `${i} ${'x'.repeat(900)}`)));
  const body = `${lines.join('\n')}\n`;
  const isResultsTemp = (file: string) => file.endsWith('.part');
  const isMetaTemp = (file: string) => file.endsWith('.tmp');

  beforeEach(() => {
    dir = tempDir('archive-full');
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function serve(text: string, options: { cut?: boolean } = {}): Promise<string> {
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += 64 * 1024) chunks.push(text.slice(i, i + 64 * 1024));
    const server = await serveBatch(id, { succeeded: COUNT }, chunks, options);
    closers.push(server.close);
    return server.url;
  }

  const linesIn = (file: string) => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const metaOf = () => JSON.parse(fs.readFileSync(path.join(dir, `${id}.meta.json`), 'utf8')) as { lines: number; complete: boolean; file: string };

  it('counts the lines that reached the disk, keeps only whole lines, leaves no temp file', async () => {
    const url = await serve(body);
    // Runs out in the middle of a line of the second write block.
    const disk = fullDisk(1_500_037, isResultsTemp);
    const { download, summary } = await new ResultsArchive(dir, Date.now, { open: disk }).downloadAndSummarize(rawSource(url, 'k'), id);
    assert.equal(download.complete, false);
    assert.equal(download.reason, 'write');
    assert.equal((download.failure as NodeJS.ErrnoException).code, 'ENOSPC');
    const kept = linesIn(download.path);
    assert.ok(kept.length > 0 && kept.length < COUNT, `${kept.length} lines on disk`);
    assert.equal(download.lines, kept.length, 'the count is what is on disk, not what was buffered');
    assert.equal(metaOf().lines, kept.length);
    assert.ok(fs.readFileSync(download.path, 'utf8').endsWith('\n'), 'no half line at the end');
    assert.deepEqual(kept, lines.slice(0, kept.length), 'whole lines, byte for byte');
    assert.equal(summary.results, kept.length, 'the summary describes the file, not the lines that never reached it');
    // The index beside the copy is made from the file too (this disk is full for results only).
    assert.deepEqual(fs.readdirSync(dir).sort(), [`${id}.entries.json`, `${id}.index.json`, `${id}.meta.json`, `${id}.partial.jsonl`]);
  });

  it('a retry that fails on a full disk never replaces a better partial copy', async () => {
    const cutUrl = await serve(lines.slice(0, 2000).join('\n') + '\n', { cut: true });
    const first = await new ResultsArchive(dir).download(rawSource(cutUrl, 'k'), id);
    assert.equal(first.lines, 2000);
    const before = fs.readFileSync(first.path);
    const url = await serve(body);
    for (const budget of [0, 300_000]) {
      const retry = await new ResultsArchive(dir, Date.now, { open: fullDisk(budget, isResultsTemp) }).download(rawSource(url, 'k'), id);
      assert.equal(retry.complete, false);
      assert.equal(retry.reason, 'write');
      assert.equal(retry.keptPrevious, true, `budget ${budget}: the earlier copy is kept`);
      assert.equal(retry.lines, 2000);
      assert.equal(retry.path, first.path);
      assert.ok(fs.readFileSync(first.path).equals(before), `budget ${budget}: the partial copy is untouched`);
      assert.equal(metaOf().lines, 2000);
      assert.deepEqual(fs.readdirSync(dir).sort(), [`${id}.meta.json`, `${id}.partial.jsonl`], `budget ${budget}: no temp file left`);
    }
    // With room again, a better download does replace it.
    const better = await new ResultsArchive(dir).download(rawSource(url, 'k'), id);
    assert.equal(better.complete, true);
    assert.deepEqual(fs.readdirSync(dir).sort(), [`${id}.jsonl`, `${id}.meta.json`]);
  });

  it('a meta file that cannot be written: the error is thrown, the earlier copy stays as it was, no temp file', async () => {
    const cutUrl = await serve(lines.slice(0, 2000).join('\n') + '\n', { cut: true });
    const first = await new ResultsArchive(dir).download(rawSource(cutUrl, 'k'), id);
    const before = fs.readFileSync(first.path);
    const metaBefore = fs.readFileSync(path.join(dir, `${id}.meta.json`), 'utf8');
    const url = await serve(body);
    await assert.rejects(new ResultsArchive(dir, Date.now, { open: fullDisk(10, isMetaTemp) }).download(rawSource(url, 'k'), id), /ENOSPC/);
    assert.deepEqual(fs.readdirSync(dir).sort(), [`${id}.meta.json`, `${id}.partial.jsonl`]);
    assert.ok(fs.readFileSync(first.path).equals(before));
    assert.equal(fs.readFileSync(path.join(dir, `${id}.meta.json`), 'utf8'), metaBefore);
  });
});

describe('results archive: what is stored, and tidying it', () => {
  let dir: string;
  const HOUR = 60 * 60 * 1000;
  const now = Date.now();

  beforeEach(() => {
    dir = tempDir('archive-files');
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function file(name: string, text: string, ageMs = 0): string {
    const at = path.join(dir, name);
    fs.writeFileSync(at, text);
    const time = new Date(now - ageMs);
    fs.utimesSync(at, time, time);
    return at;
  }

  it('removes temp files older than a day and lone meta files, nothing else', async () => {
    const line = `${JSON.stringify(succeeded('a'))}\n`;
    file('msgbatch_a.jsonl', line, 400 * HOUR);
    file('msgbatch_a.meta.json', '{}', 400 * HOUR);
    file('msgbatch_a.123-abc-1.part', 'x'.repeat(10), 25 * HOUR);
    file('msgbatch_a.meta.json.123-4.tmp', '{', 30 * HOUR);
    file('msgbatch_b.456-def-2.part', 'running', 1 * HOUR);
    file('msgbatch_c.meta.json', '{}', 48 * HOUR);
    file('notes.txt', 'not ours', 900 * HOUR);
    const removed = await removeStaleFiles(dir, now);
    assert.deepEqual(removed.files.sort(), ['msgbatch_a.123-abc-1.part', 'msgbatch_a.meta.json.123-4.tmp', 'msgbatch_c.meta.json']);
    assert.equal(removed.bytes, 10 + 1 + 2);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['msgbatch_a.jsonl', 'msgbatch_a.meta.json', 'msgbatch_b.456-def-2.part', 'notes.txt']);
    assert.deepEqual(await removeStaleFiles(path.join(dir, 'absent'), now), { files: [], bytes: 0 }, 'no folder yet: nothing to do');
  });

  it('lists each batch with results and the bytes it takes; delete removes all of its files, temp files too', async () => {
    const line = `${JSON.stringify(succeeded('a'))}\n`;
    file('msgbatch_a.jsonl', line.repeat(3));
    file('msgbatch_a.123-abc-1.part', 'x'.repeat(7));
    file('msgbatch_a.meta.json.1-2.tmp', '{');
    file('msgbatch_b.partial.jsonl', line);
    file('msgbatch_c.789-x-1.part', 'only a temp');
    const archive = new ResultsArchive(dir);
    const listed = (await archive.list()).sort((x, y) => x.batchId.localeCompare(y.batchId));
    assert.deepEqual(
      listed.map((l) => [l.batchId, l.complete, l.lines]),
      [
        ['msgbatch_a', true, 3],
        ['msgbatch_b', false, 1],
      ],
    );
    // The complete copy gained a meta file when it was adopted; every file counts.
    const bytesOfA = fs.readdirSync(dir).filter((n) => n.startsWith('msgbatch_a.')).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
    assert.equal(listed[0].bytes, bytesOfA);
    await archive.delete('msgbatch_a');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['msgbatch_b.partial.jsonl', 'msgbatch_c.789-x-1.part']);
  });
});
