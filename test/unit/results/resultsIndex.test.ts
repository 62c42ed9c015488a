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
  type SectionId,
} from '../../../src/domain/results';
import { startEmulator, type Emulator } from '../../emulator';
import { ended, errored, rawSource, request, succeeded, tempDir, writeJsonl } from './helpers';

const NOW = Date.UTC(2026, 0, 3, 12);
const render = (summary: ResultsSummary) => renderResultsDocument(summary, { now: NOW, label: 'a.jsonl' }).text;

const renderSection = (summary: ResultsSummary, section: SectionId) => renderResultsDocument(summary, { now: NOW, label: 'a.jsonl', section }).text;

interface IndexHeader {
  parts: { name: string; length: number; sha256: string }[];
}

/**
 * Rewrites one JSON part of an index file and gives it a checksum that matches: damage a checksum
 * cannot catch. The first part when no name is given.
 */
function rewritePart(file: string, name: string | undefined, edit: (body: Record<string, unknown>) => void): void {
  const bytes = fs.readFileSync(file);
  const nl = bytes.indexOf(10);
  const header = JSON.parse(bytes.toString('utf8', 0, nl)) as IndexHeader;
  let at = nl + 1;
  const parts = header.parts.map((part) => {
    const body = bytes.subarray(at, at + part.length);
    at += part.length;
    if (part.name !== (name ?? header.parts[0].name)) return body;
    const json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    edit(json);
    const edited = Buffer.from(JSON.stringify(json));
    part.length = edited.length;
    part.sha256 = createHash('sha256').update(edited).digest('hex');
    return edited;
  });
  fs.writeFileSync(file, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), ...parts]));
}

const rewriteBody = (file: string, edit: (body: Record<string, unknown>) => void) => rewritePart(file, undefined, edit);

function rewriteHeader(file: string, edit: (header: Record<string, unknown>) => void): void {
  const text = fs.readFileSync(file, 'utf8');
  const nl = text.indexOf('\n');
  const header = JSON.parse(text.slice(0, nl)) as Record<string, unknown>;
  edit(header);
  fs.writeFileSync(file, `${JSON.stringify(header)}${text.slice(nl)}`);
}

/** What `run` read of `file`: how many reads, how many bytes (every results read goes through fs.promises.open). */
async function readsOf(file: string, run: () => Promise<unknown>): Promise<{ reads: number; bytes: number }> {
  const original = fs.promises.open;
  const seen = { reads: 0, bytes: 0 };
  fs.promises.open = (async (...args: Parameters<typeof original>) => {
    const handle = await original(...args);
    if (path.resolve(String(args[0])) === path.resolve(file)) {
      const read = handle.read.bind(handle) as (...a: unknown[]) => Promise<{ bytesRead: number }>;
      (handle as unknown as { read: unknown }).read = async (...a: unknown[]) => {
        const got = await read(...a);
        seen.reads++;
        seen.bytes += got.bytesRead;
        return got;
      };
    }
    return handle;
  }) as typeof original;
  try {
    await run();
  } finally {
    fs.promises.open = original;
  }
  return seen;
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

    rewriteBody(files.summary, (body) => {
      delete body.errored; // checksums made to match: only the shape is wrong
    });
    const noGroups = await summarizeCopy(files, copy, options);
    assert.equal(noGroups.rebuilt?.kind, 'damaged');
    assert.match(noGroups.rebuilt!.message, /no error groups/);

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
    // The copy's first and last bytes are hashed into the index: an edit there is another copy.
    assert.equal(edited.rebuilt?.kind, 'old');
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

  it('a section on its own is read through the index: the same document as a pass over the copy', async () => {
    const sectionOptions = { ...options, sectionEntries: 3 };
    const first = await summarizeCopy(files, copy, { ...sectionOptions, section: 'succeeded', maxEntries: 3 });
    assert.equal(first.rebuilt?.kind, 'missing', 'the first section opened makes the index');
    assert.ok(fs.existsSync(files.summary));
    for (const section of ['succeeded', 'errored', 'errored:overloaded_error', 'expired', 'canceled'] as const) {
      for (const maxEntries of [1, 3]) {
        const wanted = { ...sectionOptions, section, maxEntries };
        const got = await summarizeCopy(files, copy, wanted);
        assert.equal(got.rebuilt, undefined, `${section}: made again: ${got.rebuilt?.message}`);
        assert.equal(renderSection(got.summary, section), renderSection(await summarizeResults(copy, wanted), section), section);
      }
    }
    const more = await summarizeCopy(files, copy, { ...sectionOptions, section: 'succeeded', maxEntries: 4 });
    assert.equal(more.rebuilt?.kind, 'other-options', 'more entries than the index keeps places for');
    assert.equal(renderSection(more.summary, 'succeeded'), renderSection(await summarizeResults(copy, { section: 'succeeded', maxEntries: 4 }), 'succeeded'));
    assert.equal((await summarizeCopy(files, copy, { ...sectionOptions, section: 'succeeded', maxEntries: 4 })).rebuilt, undefined, 'the index made again keeps places for as many');
  });

  it('a section on its own follows the source order with its prompts, read from the index', async () => {
    const source = writeJsonl(path.join(dir, 'a.jsonl'), ['gone-1', 'ok-3', 'late-1', 'ok-2', 'busy-1', 'ok-1', 'bad-1'].map((id) => request(id, `q ${id}`)));
    const wanted = { ...options, source, sectionEntries: 3, section: 'succeeded' as const, maxEntries: 3 };
    await summarizeCopy(files, copy, wanted);
    const got = await summarizeCopy(files, copy, wanted);
    assert.equal(got.rebuilt, undefined, `made again: ${got.rebuilt?.message}`);
    assert.deepEqual(got.summary.succeeded.entries.map((e) => [e.customId, e.prompt, e.sourceLine]), [['ok-3', 'q ok-3', 2], ['ok-2', 'q ok-2', 4], ['ok-1', 'q ok-1', 6]]);
    assert.equal(renderSection(got.summary, 'succeeded'), renderSection(await summarizeResults(copy, wanted), 'succeeded'));
  });

  it('a section on its own is made again when its part of the index is damaged', async () => {
    const wanted = { ...options, section: 'succeeded' as const };
    await summarizeCopy(files, copy, wanted);
    rewritePart(files.summary, 'sections', (sections) => {
      const lists = (sections as { lists: { section: string; places: { offset: number; length: number }[] }[] }).lists;
      const succeeded = lists.find((l) => l.section === 'succeeded')!.places;
      // The second entry's place given to the first: a valid line, of another custom_id.
      succeeded[0].offset = succeeded[1].offset;
      succeeded[0].length = succeeded[1].length;
    });
    const damaged = await summarizeCopy(files, copy, wanted);
    assert.equal(damaged.rebuilt?.kind, 'damaged');
    assert.match(damaged.rebuilt!.message, /expects "ok-1"/);
    assert.equal(renderSection(damaged.summary, 'succeeded'), renderSection(await summarizeResults(copy, wanted), 'succeeded'));
    assert.equal((await summarizeCopy(files, copy, wanted)).rebuilt, undefined);
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

describe('results index: reopening costs the same whatever the number of results', () => {
  /** `count` results with long replies; one in ten an error, so that the shown errors lie far apart in the copy. */
  function bigCopy(dir: string, count: number): string {
    const reply = 'An answer of some length. '.repeat(200);
    const lines = Array.from({ length: count }, (_, i) => {
      const id = `r-${String(i).padStart(6, '0')}`;
      if (i % 10 === 3) return errored(id, 'overloaded_error');
      if (i % 10 === 7) return errored(id, 'invalid_request_error');
      if (i % 50 === 9) return ended(id, 'expired');
      return succeeded(id, `${reply}${i}`);
    });
    return writeJsonl(path.join(dir, 'msgbatch_big.jsonl'), lines);
  }

  for (const count of [400, 4000]) {
    it(`a whole document of ${count} results reads the index and a few bytes of the copy`, async () => {
      const dir = tempDir('results-index-big');
      const copy = bigCopy(dir, count);
      const files = { summary: path.join(dir, 'msgbatch_big.index.json'), entries: path.join(dir, 'msgbatch_big.entries.json') };
      const options = { maxEntries: 30 };
      await summarizeCopy(files, copy, options);
      let again: Awaited<ReturnType<typeof summarizeCopy>> | undefined;
      const seen = await readsOf(copy, async () => (again = await summarizeCopy(files, copy, options)));
      assert.equal(again?.rebuilt, undefined, `made again: ${again?.rebuilt?.message}`);
      assert.equal(render(again!.summary), render(await summarizeResults(copy, options)));
      // Its first and last 64 KiB (whether it is the copy the index was made from) and a sample of the lines shown.
      assert.ok(seen.reads <= 24, `${seen.reads} reads of the copy`);
      assert.ok(seen.bytes <= 2 * 65536 + 16 * 8192, `${seen.bytes} bytes of the copy read`);
    });

    it(`a section on its own of ${count} results reads only its entries' lines of the copy`, async () => {
      const dir = tempDir('results-index-big');
      const copy = bigCopy(dir, count);
      const files = { summary: path.join(dir, 'msgbatch_big.index.json'), entries: path.join(dir, 'msgbatch_big.entries.json') };
      const wanted = { maxEntries: 20, sectionEntries: 20, section: 'errored:overloaded_error' as const };
      await summarizeCopy(files, copy, { maxEntries: 5, sectionEntries: 20 });
      let got: Awaited<ReturnType<typeof summarizeCopy>> | undefined;
      const seen = await readsOf(copy, async () => (got = await summarizeCopy(files, copy, wanted)));
      assert.equal(got?.rebuilt, undefined, `made again: ${got?.rebuilt?.message}`);
      assert.equal(got!.summary.errored.groups.find((g) => g.type === 'overloaded_error')?.entries.length, 20);
      assert.equal(renderResultsDocument(got!.summary, { now: NOW, section: wanted.section }).text, renderResultsDocument(await summarizeResults(copy, wanted), { now: NOW, section: wanted.section }).text);
      assert.ok(seen.bytes <= 2 * 65536 + 20 * 8192, `${seen.bytes} bytes of the copy read`);
    });
  }

  it('is made again when a big copy was rewritten at its end at the same size and time', async () => {
    const dir = tempDir('results-index-big');
    const copy = bigCopy(dir, 400);
    const files = { summary: path.join(dir, 'msgbatch_big.index.json'), entries: path.join(dir, 'msgbatch_big.entries.json') };
    const when = new Date(Date.UTC(2026, 0, 2));
    fs.utimesSync(copy, when, when);
    await summarizeCopy(files, copy, { maxEntries: 3 });
    const bytes = fs.readFileSync(copy);
    const at = bytes.lastIndexOf('"custom_id":"r-000399"');
    bytes.write('"custom_id":"r-000999"', at);
    fs.writeFileSync(copy, bytes);
    fs.utimesSync(copy, when, when);
    const edited = await summarizeCopy(files, copy, { maxEntries: 3 });
    assert.equal(edited.rebuilt?.kind, 'old');
    assert.match(edited.rebuilt!.message, /first or last bytes changed/);
    const section = await summarizeCopy(files, copy, { maxEntries: 3, section: 'succeeded' });
    assert.equal(section.rebuilt, undefined, 'made again with the copy as it is now');
  });
});
