import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { estimateActualCost } from '../../../src/domain/cost';
import { ResultsArchive, SmallestN, summarizeResults, type ResultsSummary } from '../../../src/domain/results';
import { startEmulator, type Emulator } from '../../emulator';
import { ended, errored, rawSource, request, succeeded, tempDir, writeJsonl } from './helpers';

/** 40 requests: every 10th api_error, 7th overloaded, 9th invalid, 11th expired, 13th canceled; the rest succeed. */
function markedRequests(): ReturnType<typeof request>[] {
  const out: ReturnType<typeof request>[] = [];
  for (let i = 0; i < 40; i++) {
    let marker = '';
    if (i % 10 === 3) marker = '[[emulator:api_error]]';
    else if (i % 7 === 5) marker = '[[emulator:overloaded_error]]';
    else if (i % 9 === 8) marker = '[[emulator:invalid_request_error]]';
    else if (i === 11 || i === 22) marker = '[[emulator:expired]]';
    else if (i === 27) marker = '[[emulator:canceled]]';
    out.push(request(`req-${String(i).padStart(2, '0')}`, `Prompt number ${i}: tell me about topic ${i}. ${marker}`));
  }
  return out;
}

describe('results summary', () => {
  let emu: Emulator;
  let dir: string;
  let resultsPath: string;
  let sourcePath: string;
  const reqs = markedRequests();
  const ids = (predicate: (i: number) => boolean) => reqs.filter((_, i) => predicate(i)).map((r) => r.custom_id);
  const apiErrors = ids((i) => i % 10 === 3);
  const overloaded = ids((i) => i % 10 !== 3 && i % 7 === 5);
  const invalid = ids((i) => i % 10 !== 3 && i % 7 !== 5 && i % 9 === 8);
  const expired = ['req-11', 'req-22'];
  const canceled = ['req-27'];

  before(async () => {
    emu = await startEmulator({ timing: 'manual' });
    dir = tempDir('summary');
    const batch = emu.createBatch(reqs);
    emu.finish(batch.id);
    const got = await new ResultsArchive(dir).download(rawSource(emu.url, emu.apiKey), batch.id);
    assert.equal(got.complete, true);
    resultsPath = got.path;
    sourcePath = writeJsonl(path.join(dir, 'source.jsonl'), reqs);
  });
  after(async () => {
    await emu.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the emulator returns results out of input order (so the ordering tests mean something)', () => {
    const order = fs
      .readFileSync(resultsPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { custom_id: string }).custom_id);
    assert.notDeepEqual(order, [...order].sort());
  });

  it('counts each outcome and groups errors by category with what to do about them', async () => {
    const s = await summarizeResults(resultsPath);
    const succeededCount = 40 - apiErrors.length - overloaded.length - invalid.length - expired.length - canceled.length;
    assert.deepEqual(s.counts, { succeeded: succeededCount, errored: apiErrors.length + overloaded.length + invalid.length, expired: 2, canceled: 1 });
    assert.equal(s.results, 40);
    assert.deepEqual(
      s.errored.groups.map((g) => [g.type, g.count, g.retryable]),
      // Needs fixing first, then the biggest retryable groups.
      [
        ['invalid_request_error', invalid.length, false],
        ['api_error', apiErrors.length, true],
        ['overloaded_error', overloaded.length, true],
      ].sort((a, b) => Number(a[2]) - Number(b[2]) || Number(b[1]) - Number(a[1])),
    );
    assert.deepEqual([...s.retryableIds].sort(), [...apiErrors, ...overloaded].sort());
    assert.deepEqual([...s.fixIds].sort(), [...invalid].sort());
    assert.deepEqual([...s.expiredIds].sort(), expired);
    assert.deepEqual(s.canceledIds, canceled);
    assert.equal(s.order, 'results');
  });

  it('with the source: entries and ids follow the input order, with prompt and source line', async () => {
    const s = await summarizeResults(resultsPath, { source: sourcePath });
    assert.equal(s.order, 'input');
    const succeededIds = reqs.map((r) => r.custom_id).filter((id) => ![...apiErrors, ...overloaded, ...invalid, ...expired, ...canceled].includes(id));
    assert.deepEqual(
      s.succeeded.entries.map((e) => e.customId),
      succeededIds,
    );
    assert.deepEqual(s.retryableIds, [...apiErrors, ...overloaded].sort());
    assert.deepEqual(s.expiredIds, expired);
    const first = s.succeeded.entries[0];
    assert.equal(first.inputIndex, 0);
    assert.equal(first.sourceLine, 1);
    assert.equal(first.prompt, 'Prompt number 0: tell me about topic 0.');
    const api = s.errored.groups.find((g) => g.type === 'api_error')!;
    assert.deepEqual(
      api.entries.map((e) => e.sourceLine),
      apiErrors.map((id) => Number(id.slice(4)) + 1),
    );
    assert.deepEqual(s.source, { path: sourcePath, requests: 40, sha256: s.source?.sha256, resultsNotInSource: 0, requestsWithoutResult: 0, duplicateResults: 0 });
  });

  it('keeps only the first N per section: the N smallest input positions', async () => {
    const s = await summarizeResults(resultsPath, { source: sourcePath, maxEntries: 3 });
    assert.deepEqual(
      s.succeeded.entries.map((e) => e.customId),
      ['req-00', 'req-01', 'req-02'],
    );
    assert.equal(s.succeeded.count > 3, true);
    for (const group of s.errored.groups) assert.ok(group.entries.length <= 3);
    assert.deepEqual(
      s.errored.groups.find((g) => g.type === 'api_error')!.entries.map((e) => e.customId),
      apiErrors.slice(0, 3),
    );
    // The id lists are not cut: a retry needs all of them.
    assert.equal(s.retryableIds.length, apiErrors.length + overloaded.length);
  });

  it('one section on its own keeps entries for that section only', async () => {
    const s = await summarizeResults(resultsPath, { source: sourcePath, section: 'errored:api_error', maxEntries: 1000 });
    assert.equal(s.succeeded.entries.length, 0);
    assert.equal(s.expired.entries.length, 0);
    assert.deepEqual(
      s.errored.groups.map((g) => [g.type, g.entries.length]).sort(),
      [
        ['api_error', apiErrors.length],
        ['invalid_request_error', 0],
        ['overloaded_error', 0],
      ],
    );
    assert.ok(s.counts.succeeded > 0, 'counts stay whole');
    await assert.rejects(summarizeResults(resultsPath, { section: 'nonsense' as never }));
  });

  it('a missing source file falls back to the results order and says so', async () => {
    const s = await summarizeResults(resultsPath, { source: path.join(dir, 'gone.jsonl') });
    assert.equal(s.order, 'results');
    assert.equal(s.source?.missing, true);
    assert.equal(s.succeeded.entries[0].prompt, undefined);
  });
});

describe('results summary: usage, cost and odd files', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('summary-usage');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sums usage per model (cache tokens too) and prices it at batch rates as an estimate', async () => {
    const file = writeJsonl(path.join(dir, 'r.jsonl'), [
      succeeded('a', 'x', { model: 'claude-sonnet-4-5', usage: { input_tokens: 1000, output_tokens: 200, cache_creation_input_tokens: 300, cache_read_input_tokens: 4000, cache_creation: { ephemeral_5m_input_tokens: 200, ephemeral_1h_input_tokens: 100 } } }),
      succeeded('b', 'y', { model: 'claude-sonnet-4-5', usage: { input_tokens: 500, output_tokens: 100 } }),
      succeeded('c', 'z', { model: 'claude-haiku-4-5', usage: { input_tokens: 2_000_000, output_tokens: 1_000_000 } }),
      succeeded('d', 'w', { model: 'my-own-model', usage: { input_tokens: 7, output_tokens: 3 } }),
      errored('e', 'api_error'),
    ]);
    const s = await summarizeResults(file);
    assert.deepEqual(s.usage.perModel['claude-sonnet-4-5'], { requests: 2, inputTokens: 1500, outputTokens: 300, cacheCreationInputTokens: 300, cacheCreation1hInputTokens: 100, cacheReadInputTokens: 4000 });
    assert.equal(s.usage.totals.inputTokens, 2_001_507);
    assert.equal(s.usage.totals.requests, 4);
    const expected = estimateActualCost({
      'claude-sonnet-4-5': { inputTokens: 1500, outputTokens: 300, cacheCreationInputTokens: 300, cacheCreation1hInputTokens: 100, cacheReadInputTokens: 4000 },
      'claude-haiku-4-5': { inputTokens: 2_000_000, outputTokens: 1_000_000, cacheCreationInputTokens: 0, cacheCreation1hInputTokens: 0, cacheReadInputTokens: 0 },
      'my-own-model': { inputTokens: 7, outputTokens: 3, cacheCreationInputTokens: 0, cacheCreation1hInputTokens: 0, cacheReadInputTokens: 0 },
    });
    assert.deepEqual(s.cost, expected);
    // Haiku 4.5 at $1/$5 per million, halved for batches: 2M in = $1, 1M out = $2.50.
    assert.ok(Math.abs(s.cost.perModel['claude-haiku-4-5'].usd! - 3.5) < 1e-9);
    assert.deepEqual(s.cost.unknownModels, ['my-own-model']);
  });

  it('a model named __proto__ or constructor is a model like any other: counted, priced, listed', async () => {
    const file = writeJsonl(path.join(dir, 'r.jsonl'), [
      succeeded('a', 'x', { model: '__proto__', usage: { input_tokens: 10, output_tokens: 1 } }),
      succeeded('b', 'y', { model: 'constructor', usage: { input_tokens: 20, output_tokens: 2 } }),
      succeeded('c', 'z', { model: 'claude-haiku-4-5', usage: { input_tokens: 1_000_000, output_tokens: 0 } }),
    ]);
    const s = await summarizeResults(file);
    assert.deepEqual(Object.keys(s.usage.perModel).sort(), ['__proto__', 'claude-haiku-4-5', 'constructor']);
    assert.equal(Object.getOwnPropertyDescriptor(s.usage.perModel, '__proto__')?.value.inputTokens, 10);
    assert.deepEqual(s.cost.unknownModels, ['__proto__', 'constructor']);
    assert.ok(Math.abs(s.cost.usd - 0.5) < 1e-9);
  });

  it('skips and counts blank and malformed lines without losing the others', async () => {
    const file = writeJsonl(path.join(dir, 'r.jsonl'), [succeeded('a'), '', '{"custom_id":"b","result":', '   ', JSON.stringify({ nothing: 1 }), ended('c', 'expired'), '{"custom_id":"d","result":{"type":"archived_someday"}}']);
    const s = await summarizeResults(file);
    assert.equal(s.results, 3);
    assert.equal(s.read.blankLines, 2);
    assert.equal(s.read.malformedLines, 2);
    assert.deepEqual(s.read.malformedLineNumbers, [3, 5]);
    assert.equal(s.counts.succeeded, 1);
    assert.equal(s.counts.expired, 1);
    assert.equal(s.otherTypes, 1);
  });

  it('notices results the source lacks, requests without results, and duplicates', async () => {
    const source = writeJsonl(path.join(dir, 's.jsonl'), [request('a', 'A'), request('b', 'B'), request('c', 'C')]);
    const file = writeJsonl(path.join(dir, 'r.jsonl'), [succeeded('zz'), succeeded('b'), succeeded('a'), succeeded('a')]);
    const s: ResultsSummary = await summarizeResults(file, { source });
    assert.deepEqual(
      s.succeeded.entries.map((e) => e.customId),
      ['a', 'a', 'b', 'zz'],
      'input order, unknown ids last',
    );
    assert.equal(s.source?.resultsNotInSource, 1);
    assert.equal(s.source?.requestsWithoutResult, 1);
    assert.equal(s.source?.duplicateResults, 1);
  });

  it('SmallestN keeps exactly the N smallest keys, sorted', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (const limit of [0, 1, 5, 50]) {
      const heap = new SmallestN<number>(limit);
      const keys = Array.from({ length: 500 }, () => next() % 10_000);
      for (const k of keys) heap.offer(k, k);
      assert.deepEqual(heap.sorted(), [...keys].sort((a, b) => a - b).slice(0, limit));
    }
  });
});
