import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildRetryBatch, exportResults, mergeNote, mergeResults, ResultsArchive, SaveFailedError, SourceFileMissingError, type MergePart } from '../../../src/domain/results';
import { classifyBatchText, firstLines } from '../../../src/domain/jsonl';
import { startEmulator, type Emulator } from '../../emulator';
import { errored, fullDisk, rawSource, succeeded, tempDir, writeJsonl } from './helpers';

const params = (text: string, extra = '') => `{"model":"claude-sonnet-4-5","max_tokens":64${extra},"messages":[{"role":"user","content":${JSON.stringify(text)}}]}`;

/**
 * A source file written by hand, the way people write them: a BOM, custom_id not always first,
 * spaces around a line, non-ASCII text, a blank line. Line numbers in comments are 1-based.
 */
const SOURCE_LINES = [
  `\uFEFF{"custom_id":"a","params":${params('Hello')}}`, // 1 succeeded
  `{"params":${params('Fail please [[emulator:api_error]]')},"custom_id":"b"}`, // 2 api_error → retry
  `   {"custom_id":"c",  "params": ${params('Zürich 東京 😀 [[emulator:overloaded_error]]')}}  `, // 3 overloaded → retry
  '', // 4 blank
  `{"custom_id":"d","params":${params('Too long [[emulator:invalid_request_error]]')}}`, // 5 invalid → fix
  `{"custom_id":"e","params":${params('Slow [[emulator:expired]]')}}`, // 6 expired → retry
  `{"custom_id":"f","params":${params('Stop [[emulator:canceled]]')}}`, // 7 canceled → only on request
  `{"custom_id":"g","params":${params('Warm', ',"temperature":1')}}`, // 8 params problem → fix
  `{"custom_id":"h","params":${params('Again [[emulator:api_error]]')}}`, // 9 api_error → retry
  `{"custom_id":"i","params":${params('Fine')}}`, // 10 succeeded
];
const SOURCE_TEXT = `${SOURCE_LINES.join('\n')}\n`;
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

describe('retry builder and exports', () => {
  let emu: Emulator;
  let dir: string;
  let sourcePath: string;
  let resultsPath: string;

  before(async () => {
    emu = await startEmulator({ timing: 'manual' });
    dir = tempDir('retry');
    sourcePath = path.join(dir, 'source.jsonl');
    fs.writeFileSync(sourcePath, SOURCE_TEXT);
    const requests = SOURCE_LINES.filter((l) => l.trim()).map((l) => JSON.parse(l.replace(/^\uFEFF/, '')) as { custom_id: string; params: unknown });
    const batch = emu.createBatch(requests);
    emu.finish(batch.id);
    const got = await new ResultsArchive(path.join(dir, 'archive')).download(rawSource(emu.url, emu.apiKey), batch.id);
    resultsPath = got.path;
  });
  after(async () => {
    await emu.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('retry builder', () => {
    it('takes exactly the source lines, byte for byte, of retryable errors and expired requests, in input order', async () => {
      const build = await buildRetryBatch({ source: sourcePath, resultsPath });
      assert.equal(build.text, `${[SOURCE_LINES[1], SOURCE_LINES[2], SOURCE_LINES[5], SOURCE_LINES[8]].join('\n')}\n`);
      assert.deepEqual(build.customIds, ['b', 'c', 'e', 'h']);
      assert.deepEqual(build.reasons, { api_error: 2, overloaded_error: 1, expired: 1 });
      assert.deepEqual(build.missingFromSource, []);
      assert.equal(classifyBatchText(firstLines(build.text)).kind, 'batch', 'a retry file is a batch file');
    });

    it('lists the requests to fix with their line and message instead of resubmitting them', async () => {
      const build = await buildRetryBatch({ source: sourcePath, resultsPath });
      assert.deepEqual(
        build.needsFixing.map((f) => [f.customId, f.line, f.errorType]),
        [
          ['d', 5, 'invalid_request_error'],
          ['g', 8, 'invalid_request_error'],
        ],
      );
      assert.equal(build.needsFixing[0].message, 'prompt is too long: 212417 tokens > 200000 maximum');
      assert.match(build.needsFixing[1].message, /^temperature: /);
      assert.ok(build.needsFixing[0].requestId?.startsWith('req_'));
    });

    it('adds canceled requests only when asked', async () => {
      const build = await buildRetryBatch({ source: sourcePath, resultsPath, includeCanceled: true });
      assert.deepEqual(build.customIds, ['b', 'c', 'e', 'f', 'h']);
      assert.equal(build.reasons.canceled, 1);
    });

    it('writes the same bytes to a file when given one', async () => {
      const output = path.join(dir, 'out', 'retry.jsonl');
      const build = await buildRetryBatch({ source: sourcePath, resultsPath, output });
      assert.equal(build.file, output);
      assert.equal(build.text, undefined);
      assert.equal(fs.readFileSync(output, 'utf8'), `${[SOURCE_LINES[1], SOURCE_LINES[2], SOURCE_LINES[5], SOURCE_LINES[8]].join('\n')}\n`);
      assert.deepEqual(
        fs.readdirSync(path.dirname(output)),
        ['retry.jsonl'],
      );
    });

    it('tells whether the source changed since it was submitted (a BOM the editor hides does not count)', async () => {
      assert.equal((await buildRetryBatch({ source: sourcePath, resultsPath, expectedSha256: sha256(SOURCE_TEXT) })).sourceChanged, false);
      assert.equal((await buildRetryBatch({ source: sourcePath, resultsPath, expectedSha256: sha256(SOURCE_TEXT.replace(/^\uFEFF/, '')) })).sourceChanged, false);
      const edited = path.join(dir, 'edited.jsonl');
      fs.writeFileSync(edited, SOURCE_TEXT.replace('Hello', 'Hello!'));
      const build = await buildRetryBatch({ source: edited, resultsPath, expectedSha256: sha256(SOURCE_TEXT) });
      assert.equal(build.sourceChanged, true);
      assert.equal(build.sourceSha256, sha256(fs.readFileSync(edited)));
      assert.deepEqual(build.customIds, ['b', 'c', 'e', 'h'], 'still built, from the file as it is now');
    });

    it('lists failed results whose custom_id the source does not have', async () => {
      const results = writeJsonl(path.join(dir, 'extra-results.jsonl'), [...fs.readFileSync(resultsPath, 'utf8').trim().split('\n'), JSON.stringify(errored('zz', 'api_error')), JSON.stringify(succeeded('yy'))]);
      const build = await buildRetryBatch({ source: sourcePath, resultsPath: results });
      assert.deepEqual(build.missingFromSource, ['zz']);
      assert.deepEqual(build.customIds, ['b', 'c', 'e', 'h']);
    });

    it('throws a typed error when the source file is gone', async () => {
      const gone = path.join(dir, 'gone.jsonl');
      await assert.rejects(buildRetryBatch({ source: gone, resultsPath }), (err: unknown) => {
        assert.ok(err instanceof SourceFileMissingError);
        assert.equal(err.path, gone);
        assert.match(err.message, /no longer exists/);
        return true;
      });
    });
  });

  describe('export', () => {
    const readJsonl = (file: string) =>
      fs
        .readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { custom_id: string; request?: unknown; result: { type: string; error?: { error: { type: string } } } | null });

    it('saves every result as the API sent it', async () => {
      const output = path.join(dir, 'export-all.jsonl');
      const summary = await exportResults({ resultsPath, output });
      assert.equal(summary.lines, 9);
      assert.equal(fs.readFileSync(output, 'utf8'), fs.readFileSync(resultsPath, 'utf8'));
      assert.equal(classifyBatchText(firstLines(fs.readFileSync(output, 'utf8'))).kind, 'notBatch', 'saved results are not a batch file');
    });

    it('a target that cannot be written is said as one (which file, why, what to do), with no temp file left; a missing results file is not blamed on it', async () => {
      const folder = fs.mkdtempSync(path.join(dir, 'export-folder-'));
      await assert.rejects(exportResults({ resultsPath, output: folder }), (err: unknown) => err instanceof SaveFailedError && /^Cannot save to .*export-folder-.*: it is a folder \(EISDIR\)\. Choose another file, then save again\.$/.test(err.message));
      const file = writeJsonl(path.join(dir, 'export-not-a-folder.jsonl'), ['{}']);
      await assert.rejects(exportResults({ resultsPath, output: path.join(file, 'x.jsonl') }), (err: unknown) => err instanceof SaveFailedError && /a part of its path is a file, not a folder \(ENOTDIR\)/.test(err.message));
      const output = path.join(dir, 'export-missing.jsonl');
      await assert.rejects(exportResults({ resultsPath: path.join(dir, 'no-such-results.jsonl'), output }), (err: unknown) => !(err instanceof SaveFailedError));
      assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('export-') && f.endsWith('.part')), []);
      assert.ok(!fs.existsSync(output));
    });

    it('saves one section: an outcome or one error category', async () => {
      const errors = path.join(dir, 'export-errored.jsonl');
      await exportResults({ resultsPath, output: errors, section: 'errored' });
      assert.deepEqual(readJsonl(errors).map((l) => l.custom_id).sort(), ['b', 'c', 'd', 'g', 'h']);
      const api = path.join(dir, 'export-api.jsonl');
      await exportResults({ resultsPath, output: api, section: 'errored:api_error' });
      assert.deepEqual(readJsonl(api).map((l) => l.custom_id).sort(), ['b', 'h']);
      const expired = path.join(dir, 'export-expired.jsonl');
      await exportResults({ resultsPath, output: expired, section: 'expired' });
      assert.deepEqual(
        readJsonl(expired).map((l) => l.custom_id),
        ['e'],
      );
    });

    it('joins results with their requests in input order', async () => {
      const output = path.join(dir, 'export-joined.jsonl');
      const summary = await exportResults({ resultsPath, output, source: sourcePath });
      const lines = readJsonl(output);
      assert.deepEqual(
        lines.map((l) => l.custom_id),
        ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'],
      );
      const sourceById = new Map(SOURCE_LINES.filter((l) => l.trim()).map((l) => JSON.parse(l.replace(/^\uFEFF/, '')) as { custom_id: string; params: unknown }).map((r) => [r.custom_id, r.params]));
      for (const line of lines) assert.deepEqual(line.request, sourceById.get(line.custom_id));
      assert.equal(lines[0].result?.type, 'succeeded');
      assert.equal(lines[1].result?.error?.error.type, 'api_error');
      assert.equal(summary.missingFromSource, 0);
      assert.equal(summary.withoutResult, 0);
      assert.equal(classifyBatchText(firstLines(fs.readFileSync(output, 'utf8'))).kind, 'notBatch', 'joined results are not a batch file');
    });

    it('joins one section, and puts results the source lacks last', async () => {
      const results = writeJsonl(path.join(dir, 'extra.jsonl'), [JSON.stringify(errored('zz', 'api_error')), ...fs.readFileSync(resultsPath, 'utf8').trim().split('\n').reverse()]);
      const output = path.join(dir, 'export-joined-api.jsonl');
      const summary = await exportResults({ resultsPath: results, output, source: sourcePath, section: 'errored:api_error' });
      const lines = readJsonl(output);
      assert.deepEqual(
        lines.map((l) => [l.custom_id, l.request === null]),
        [
          ['b', false],
          ['h', false],
          ['zz', true],
        ],
      );
      assert.equal(summary.missingFromSource, 1);
    });

    it('leaves no file behind when the export fails', async () => {
      const output = path.join(dir, 'export-fail', 'x.jsonl');
      await assert.rejects(exportResults({ resultsPath: path.join(dir, 'nope.jsonl'), output }));
      assert.deepEqual(fs.readdirSync(path.dirname(output)), []);
    });
  });

  describe('merged save of a group', () => {
    let parts: MergePart[];
    const lineOf = (id: string) => JSON.stringify(succeeded(id));

    before(() => {
      const first = writeJsonl(path.join(dir, 'part1.jsonl'), ['a', 'b'].map((id) => lineOf(id)));
      // A partial copy whose last line has no newline: the next part must not run into it.
      const second = path.join(dir, 'part2.jsonl');
      fs.writeFileSync(second, `${lineOf('c')}\n${lineOf('d')}`);
      parts = [
        { path: first, label: 'big.jsonl (1/3)', lines: 2, total: 2, complete: true },
        { path: second, label: 'big.jsonl (2/3)', lines: 2, total: 5, complete: false },
        { label: 'big.jsonl (3/3)', lines: 0, total: 4, complete: false },
      ];
    });

    /** Rejects within a second or fails: a save must never hang. */
    async function settles<T>(promise: Promise<T>): Promise<T> {
      let timer: NodeJS.Timeout | undefined;
      const hang = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the save hangs')), 1000)));
      try {
        return await Promise.race([promise, hang]);
      } finally {
        clearTimeout(timer);
      }
    }

    it('writes every part after the other, lines whole, and says what is missing (never inside the JSONL)', async () => {
      const output = path.join(dir, 'merged', 'big.results.jsonl');
      const summary = await mergeResults({ parts, output });
      const lines = fs.readFileSync(output, 'utf8').split('\n');
      assert.equal(lines.pop(), '', 'ends with a newline');
      assert.deepEqual(lines.map((l) => (JSON.parse(l) as { custom_id: string }).custom_id), ['a', 'b', 'c', 'd'], 'only results, one per line');
      assert.equal(summary.lines, 4);
      assert.equal(summary.total, 11);
      assert.equal(
        mergeNote(summary, parts),
        'Only 4 of 11 results: part 2 (big.jsonl (2/3)) has 2 of 5; part 3 (big.jsonl (3/3)) has no local copy and is left out.',
      );
      assert.deepEqual(fs.readdirSync(path.dirname(output)), ['big.results.jsonl'], 'no temp file');
      const whole = await mergeResults({ parts: parts.slice(0, 1), output });
      assert.equal(mergeNote(whole, parts.slice(0, 1)), undefined, 'nothing to say when every result is there');
      const unknown: MergePart[] = [parts[0], { label: 'big.jsonl (2/2)', lines: 0, total: undefined, complete: false }];
      const lacking = await mergeResults({ parts: unknown, output });
      assert.equal(lacking.total, undefined);
      assert.equal(mergeNote(lacking, unknown), 'Only 2 results, not all of them: part 2 (big.jsonl (2/2)) has no local copy and is left out.');
    });

    it('a target that is a folder rejects at once with a clear error and leaves no temp file', async () => {
      const output = fs.mkdtempSync(path.join(dir, 'a-folder-'));
      fs.writeFileSync(path.join(output, 'inside.txt'), 'x');
      const err = await settles(mergeResults({ parts, output }).then(() => undefined, (e: unknown) => e));
      assert.ok(err instanceof SaveFailedError, String(err));
      assert.match(err.message, /^Cannot save to .*a-folder-.*: (it is a folder \(EISDIR\)|a folder of that name is there \((ENOTEMPTY|EEXIST)\))\. Choose another file, then save again\.$/);
      assert.deepEqual(fs.readdirSync(path.dirname(output)).filter((f) => f.endsWith('.part')), []);
    });

    it('a target whose folder is a file rejects at once', async () => {
      const file = writeJsonl(path.join(dir, 'not-a-folder.jsonl'), ['{}']);
      await assert.rejects(settles(mergeResults({ parts, output: path.join(file, 'x.jsonl') })), (err: unknown) => err instanceof SaveFailedError && /a part of its path is a file, not a folder \(ENOTDIR\)/.test(err.message));
    });

    it('a full disk rejects at once, removes its temp file and leaves an earlier file at the target as it was', async () => {
      const output = path.join(dir, 'full', 'merged.jsonl');
      fs.mkdirSync(path.dirname(output));
      fs.writeFileSync(output, 'earlier\n');
      const size = parts.reduce((n, p) => n + (p.path ? fs.statSync(p.path).size : 0), 0);
      // Nothing fits; a line and a half fits; all but the newline added after the second part fits.
      for (const budget of [0, 300, size]) {
        const err = await settles(mergeResults({ parts, output, open: fullDisk(budget) }).then(() => undefined, (e: unknown) => e));
        assert.ok(err instanceof SaveFailedError, `budget ${budget}: ${String(err)}`);
        assert.match(err.message, /no space left on the disk \(ENOSPC\)\. Choose another file or free some space, then save again\./);
        assert.deepEqual(fs.readdirSync(path.dirname(output)), ['merged.jsonl'], `budget ${budget}: no temp file`);
        assert.equal(fs.readFileSync(output, 'utf8'), 'earlier\n');
      }
    });

    it('a part that cannot be read rejects with its own error, not as a save failure', async () => {
      const output = path.join(dir, 'merged-missing-part.jsonl');
      await assert.rejects(mergeResults({ parts: [{ path: path.join(dir, 'gone.jsonl'), label: 'gone', lines: 1, total: 1, complete: true }], output }), (err: unknown) => !(err instanceof SaveFailedError) && (err as NodeJS.ErrnoException).code === 'ENOENT');
      assert.equal(fs.existsSync(`${output}.${process.pid}.part`), false);
    });
  });
});
