import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { DEFAULT_PRICE_TABLE } from '../../../src/domain/cost';
import { indexSource, ResultsArchive, SummaryCache, summarizeResults, type ResultsSummary, type SummarySource } from '../../../src/domain/results';
import { startEmulator, type Emulator } from '../../emulator';
import { rawSource, request, succeeded, tempDir, writeJsonl } from './helpers';

describe('summary cache: a download hands its summary to the document that opens next', () => {
  let dir: string;
  let summary: ResultsSummary;
  const copy: SummarySource['copy'] = { path: '/archive/msgbatch_a.jsonl', downloadedAt: '2026-01-02T00:00:00.000Z', lines: 2, complete: true };
  const options = { source: '/work/a.jsonl', maxEntries: 200, prices: DEFAULT_PRICE_TABLE };

  before(async () => {
    dir = tempDir('summary-cache');
    summary = await summarizeResults(writeJsonl(path.join(dir, 'a.jsonl'), [succeeded('a'), succeeded('b')]));
  });

  it('hands the summary out once, for the copy and options it was made with', () => {
    const cache = new SummaryCache();
    cache.keep('msgbatch_a', { copy, options }, summary);
    assert.equal(cache.take('msgbatch_b', { copy, options }), undefined, 'another batch');
    assert.equal(cache.take('msgbatch_a', { copy: { ...copy }, options: { ...options } }), summary);
    assert.equal(cache.take('msgbatch_a', { copy, options }), undefined, 'taken once');
    assert.equal(cache.size, 0);
  });

  it('drops a summary of another copy of the batch: downloaded again, partial, or elsewhere', () => {
    for (const other of [{ downloadedAt: '2026-01-03T00:00:00.000Z' }, { lines: 3 }, { complete: false }, { path: '/archive/msgbatch_a.partial.jsonl' }]) {
      const cache = new SummaryCache();
      cache.keep('msgbatch_a', { copy, options }, summary);
      assert.equal(cache.take('msgbatch_a', { copy: { ...copy, ...other }, options }), undefined, JSON.stringify(other));
      assert.equal(cache.take('msgbatch_a', { copy, options }), undefined, `kept after a render of another copy (${JSON.stringify(other)})`);
    }
  });

  it('keeps a summary read with other options for the document it was made for (one section on its own, other settings)', () => {
    const cache = new SummaryCache();
    cache.keep('msgbatch_a', { copy, options }, summary);
    for (const other of [{ section: 'errored' as const, maxEntries: 1000 }, { maxEntries: 50 }, { source: undefined }, { source: '/work/b.jsonl' }, { prices: { overrides: [], builtIn: [] } }, { promptChars: 80 }]) {
      assert.equal(cache.take('msgbatch_a', { copy, options: { ...options, ...other } }), undefined, JSON.stringify(other));
    }
    assert.equal(cache.take('msgbatch_a', { copy, options }), summary);
  });

  it('forgets a batch on request (deleted, or downloaded again); a later keep replaces an earlier one', () => {
    const cache = new SummaryCache();
    cache.keep('msgbatch_a', { copy, options }, summary);
    cache.keep('msgbatch_b', { copy, options }, summary);
    cache.forget('msgbatch_a');
    assert.equal(cache.take('msgbatch_a', { copy, options }), undefined);
    assert.equal(cache.size, 1);
    const newer = { ...copy, downloadedAt: '2026-01-04T00:00:00.000Z' };
    cache.keep('msgbatch_b', { copy: newer, options }, summary);
    assert.equal(cache.take('msgbatch_b', { copy, options }), undefined, 'the earlier copy is replaced');
    assert.equal(cache.size, 0);
  });

  it('keeps nothing for a source given as an index, which it cannot compare', async () => {
    const source = await indexSource(writeJsonl(path.join(dir, 'source.jsonl'), [request('a', 'hello')]));
    const cache = new SummaryCache();
    cache.keep('msgbatch_a', { copy, options: { source } }, summary);
    assert.equal(cache.size, 0);
  });

  describe('with the archive', () => {
    let emu: Emulator;
    beforeEach(async () => {
      emu = await startEmulator({ timing: 'manual' });
    });
    afterEach(async () => {
      await emu.close();
    });

    it('a download describes the copy that the archive then reports, until the batch is downloaded again', async () => {
      const batch = emu.createBatch([request('a', 'one'), request('b', 'two')]);
      emu.finish(batch.id);
      let now = Date.UTC(2026, 0, 2);
      const archive = new ResultsArchive(tempDir('summary-cache-archive'), () => now);
      const cache = new SummaryCache();
      const first = await archive.downloadAndSummarize(rawSource(emu.url, emu.apiKey), batch.id, options);
      cache.keep(batch.id, { copy: first.download, options }, first.summary);
      assert.equal(cache.take(batch.id, { copy: (await archive.status(batch.id))!, options }), first.summary);

      cache.keep(batch.id, { copy: first.download, options }, first.summary);
      now += 60_000;
      const second = await archive.download(rawSource(emu.url, emu.apiKey), batch.id);
      assert.equal(second.complete, true);
      assert.equal(cache.take(batch.id, { copy: (await archive.status(batch.id))!, options }), undefined, 'a summary of the copy the second download replaced');
    });
  });
});
