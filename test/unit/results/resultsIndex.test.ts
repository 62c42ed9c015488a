import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  findEntry,
  INDEX_VERSION,
  loadEntryIndex,
  readResultAt,
  renderResultsDocument,
  ResultsArchive,
  scanArchive,
  summarizeCopy,
  summarizeResults,
  type IndexFiles,
  type ResultsSummary,
} from '../../../src/domain/results';
import { startEmulator, type Emulator } from '../../emulator';
import { ended, errored, rawSource, request, succeeded, tempDir, writeJsonl } from './helpers';

const NOW = Date.UTC(2026, 0, 3, 12);
const render = (summary: ResultsSummary) => renderResultsDocument(summary, { now: NOW, label: 'a.jsonl' }).text;

/** Rewrites the body of an index file and gives it a checksum that matches: damage a checksum cannot catch. */
function rewriteBody(file: string, edit: (body: Record<string, unknown>) => void): void {
  const text = fs.readFileSync(file, 'utf8');
  const nl = text.indexOf('\n');
  const header = JSON.parse(text.slice(0, nl)) as { sha256: string };
  const body = JSON.parse(text.slice(nl + 1)) as Record<string, unknown>;
  edit(body);
  const json = JSON.stringify(body);
  header.sha256 = createHash('sha256').update(json).digest('hex');
  fs.writeFileSync(file, `${JSON.stringify(header)}\n${json}`);
}

function rewriteHeader(file: string, edit: (header: Record<string, unknown>) => void): void {
  const text = fs.readFileSync(file, 'utf8');
  const nl = text.indexOf('\n');
  const header = JSON.parse(text.slice(0, nl)) as Record<string, unknown>;
  edit(header);
  fs.writeFileSync(file, `${JSON.stringify(header)}${text.slice(nl)}`);
}

describe('results index: the summary and entry index kept beside a local copy', () => {
  let dir: string;
  let copy: string;
  let files: IndexFiles;
  const options = { maxEntries: 2 };

  beforeEach(() => {
    dir = tempDir('results-index');
    copy = writeJsonl(path.join(dir, 'msgbatch_x.jsonl'), [
      succeeded('ok-1', 'first answer'),
      errored('bad-1', 'invalid_request_error'),
      succeeded('ok-2', 'second answer'),
      errored('busy-1', 'overloaded_error'),
      succeeded('ok-3', 'third answer'),
      ended('late-1', 'expired'),
      ended('gone-1', 'canceled'),
    ]);
    files = { summary: path.join(dir, 'msgbatch_x.index.json'), entries: path.join(dir, 'msgbatch_x.entries.json') };
  });

  it('is made by the first pass, then serves the same document without reading the copy again', async () => {
    const first = await summarizeCopy(files, copy, options);
    assert.equal(first.rebuilt?.kind, 'missing');
    assert.ok(fs.existsSync(files.summary) && fs.existsSync(files.entries));
    const again = await summarizeCopy(files, copy, options);
    assert.equal(again.rebuilt, undefined, `made again: ${again.rebuilt?.message}`);
    assert.equal(render(again.summary), render(await summarizeResults(copy, options)));
    assert.deepEqual(again.summary.cost, first.summary.cost);
    assert.deepEqual(again.summary.retryableIds, ['busy-1']);
  });

  it('serves fewer entries than it keeps, and is made again for more', async () => {
    await summarizeCopy(files, copy, options);
    const fewer = await summarizeCopy(files, copy, { maxEntries: 1 });
    assert.equal(fewer.rebuilt, undefined);
    assert.equal(render(fewer.summary), render(await summarizeResults(copy, { maxEntries: 1 })));
    const more = await summarizeCopy(files, copy, { maxEntries: 5 });
    assert.equal(more.rebuilt?.kind, 'other-options');
    assert.equal(render(more.summary), render(await summarizeResults(copy, { maxEntries: 5 })));
  });

  it('is made again when it is of another version', async () => {
    await summarizeCopy(files, copy, options);
    rewriteHeader(files.summary, (h) => (h.version = INDEX_VERSION + 1));
    assert.equal((await summarizeCopy(files, copy, options)).rebuilt?.kind, 'old');
    assert.equal((await summarizeCopy(files, copy, options)).rebuilt, undefined, 'the index made again is used');
  });

  it('is made again when the copy changed: another size, or the same size at another time', async () => {
    await summarizeCopy(files, copy, options);
    fs.appendFileSync(copy, `${JSON.stringify(succeeded('ok-4', 'appended'))}\n`);
    const grown = await summarizeCopy(files, copy, options);
    assert.equal(grown.rebuilt?.kind, 'old');
    assert.equal(grown.summary.counts.succeeded, 4);
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(copy, later, later);
    assert.equal((await summarizeCopy(files, copy, options)).rebuilt?.kind, 'old');
  });

  it('is made again when damaged: a byte changed (checksum), an offset past the end, a line that is not the custom_id expected', async () => {
    await summarizeCopy(files, copy, options);
    const pristine = fs.readFileSync(files.summary);
    const damaged = Buffer.from(pristine);
    damaged[damaged.length - 5] ^= 1;
    fs.writeFileSync(files.summary, damaged);
    const checksum = await summarizeCopy(files, copy, options);
    assert.equal(checksum.rebuilt?.kind, 'damaged');
    assert.match(checksum.rebuilt!.message, /checksum/);

    rewriteBody(files.summary, (body) => {
      const list = body.succeeded as { entries: { offset: number }[] };
      list.entries[0].offset = 1_000_000;
    });
    const past = await summarizeCopy(files, copy, options);
    assert.equal(past.rebuilt?.kind, 'damaged');
    assert.match(past.rebuilt!.message, /past the end/);

    rewriteBody(files.summary, (body) => {
      const list = body.succeeded as { entries: { offset: number; length: number }[] };
      // The second entry's place given to the first: a valid line, of another custom_id.
      list.entries[0].offset = list.entries[1].offset;
      list.entries[0].length = list.entries[1].length;
    });
    const swapped = await summarizeCopy(files, copy, options);
    assert.equal(swapped.rebuilt?.kind, 'damaged');
    assert.match(swapped.rebuilt!.message, /expects "ok-1"/);
    assert.equal(render(swapped.summary), render(await summarizeResults(copy, options)));

    fs.writeFileSync(files.summary, 'not an index');
    assert.equal((await summarizeCopy(files, copy, options)).rebuilt?.kind, 'damaged');
  });

  it('is made again when the copy was edited in place at the same size and time', async () => {
    // A whole second, which every file system keeps exactly.
    const when = new Date(Date.UTC(2026, 0, 2));
    fs.utimesSync(copy, when, when);
    await summarizeCopy(files, copy, options);
    const text = fs.readFileSync(copy, 'utf8');
    fs.writeFileSync(copy, text.replace('"custom_id":"ok-1"', '"custom_id":"ok-9"'));
    fs.utimesSync(copy, when, when);
    const edited = await summarizeCopy(files, copy, options);
    assert.equal(edited.rebuilt?.kind, 'damaged');
    assert.ok(edited.summary.succeeded.entries.some((e) => e.customId === 'ok-9'));
  });

  it('is made again when the source file changed (another order, other prompts)', async () => {
    const source = writeJsonl(path.join(dir, 'a.jsonl'), ['ok-3', 'ok-2', 'ok-1', 'bad-1', 'busy-1', 'late-1', 'gone-1'].map((id) => request(id, `q ${id}`)));
    await summarizeCopy(files, copy, { ...options, source });
    assert.equal((await summarizeCopy(files, copy, { ...options, source })).rebuilt, undefined);
    writeJsonl(source, ['ok-1', 'ok-2', 'ok-3', 'bad-1', 'busy-1', 'late-1', 'gone-1'].map((id) => request(id, `question ${id}`)));
    const changed = await summarizeCopy(files, copy, { ...options, source });
    assert.equal(changed.rebuilt?.kind, 'other-options');
    assert.deepEqual(changed.summary.succeeded.entries.map((e) => e.prompt), ['question ok-1', 'question ok-2']);
  });

  it('entry index: every custom_id with its section and line; damage or an old copy makes it again', async () => {
    await summarizeCopy(files, copy, options);
    const index = await loadEntryIndex(files, copy);
    assert.equal(index.ids.length, 7);
    const busy = findEntry(index, 'busy-1')!;
    assert.equal(busy.section, 'errored:overloaded_error');
    const line = await readResultAt(copy, 'busy-1', busy.offset, busy.length);
    assert.equal(line?.value.result.type, 'errored');
    assert.equal(await readResultAt(copy, 'ok-1', busy.offset, busy.length), undefined, 'the line at that place is of another custom_id');
    assert.equal(await readResultAt(copy, 'busy-1', 1e9, 10), undefined, 'past the end');

    rewriteBody(files.entries, (body) => ((body.offsets as number[])[3] = 1e9));
    await assert.rejects(loadEntryIndex(files, copy), /lies outside the file/);
    const archive = new ResultsArchive(dir);
    const rebuilt = await archive.entries('msgbatch_x', copy, options);
    assert.equal(findEntry(rebuilt, 'busy-1')?.offset, busy.offset);
    assert.equal((await loadEntryIndex(files, copy)).ids.length, 7, 'kept again');
  });

  it('a section on its own is read from the copy (the index serves whole documents)', async () => {
    const section = await summarizeCopy(files, copy, { ...options, section: 'succeeded' });
    assert.ok(section.rebuilt);
    assert.equal(section.summary.succeeded.entries.length, 2);
    assert.equal(fs.existsSync(files.summary), false);
  });

  describe('with the archive', () => {
    let emulator: Emulator;
    before(async () => {
      emulator = await startEmulator({ timing: 'manual', apiKey: 'sk-ant-index' });
    });
    after(async () => {
      await emulator.close();
    });

    it('a download keeps the index as it writes the copy; deleting the batch removes it', async () => {
      const batch = emulator.createBatch([request('a', 'one'), request('b', 'two [[emulator:api_error]]'), request('c', 'three')]);
      emulator.finish(batch.id);
      const archive = new ResultsArchive(path.join(dir, 'archive'));
      const { download, summary } = await archive.downloadAndSummarize(rawSource(emulator.url, 'sk-ant-index'), batch.id, { maxEntries: 10 });
      const later = await archive.summarize(batch.id, download.path, { maxEntries: 10 });
      assert.equal(later.rebuilt, undefined, `made again: ${later.rebuilt?.message}`);
      assert.equal(render(later.summary), render(summary));
      const kinds = (await scanArchive(archive.dir)).get(batch.id)!.files.map((f) => f.kind).sort();
      assert.deepEqual(kinds, ['complete', 'index', 'index', 'meta', 'usage']);
      await archive.delete(batch.id);
      assert.deepEqual(fs.readdirSync(archive.dir), []);
    });
  });
});
