import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BATCH_DISCOUNT, estimateActualCost } from '../../../src/domain/cost';
import { aggregateUsage, loadBatchUsage, removeStaleFiles, renderUsageReport, ResultsArchive, USAGE_VERSION, usageDay, type BatchUsage } from '../../../src/domain/results';
import { batchObject, errored, succeeded, tempDir, writeJsonl } from './helpers';

const usage = (requests: number, inputTokens: number, outputTokens: number, extra: Partial<BatchUsage['perModel'][string]> = {}) => ({
  requests,
  inputTokens,
  outputTokens,
  cacheCreationInputTokens: 0,
  cacheCreation1hInputTokens: 0,
  cacheReadInputTokens: 0,
  ...extra,
});

const batchUsage = (batchId: string, day: string, perModel: BatchUsage['perModel']): BatchUsage => ({
  version: USAGE_VERSION,
  batchId,
  copy: { downloadedAt: `${day}T12:00:00.000Z`, lines: 1, complete: true },
  day,
  perModel,
});

describe('usage: aggregation by model and day', () => {
  const now = Date.parse('2026-03-31T10:00:00Z');
  const batches = [
    batchUsage('b1', '2026-03-31', { 'claude-sonnet-4-5': usage(2, 1_000_000, 100_000, { cacheReadInputTokens: 10 }) }),
    batchUsage('b2', '2026-03-25', { 'claude-sonnet-4-5': usage(1, 500_000, 0), 'claude-haiku-4-5': usage(3, 300, 30) }),
    batchUsage('b3', '2026-03-10', { 'claude-haiku-4-5': usage(1, 10, 1) }),
    batchUsage('b4', '2026-01-02', { 'my-own-model': usage(4, 40, 4) }),
  ];

  it('adds up tokens per model, per day and over the last 7 and 30 days (UTC days, today included)', () => {
    const r = aggregateUsage(batches, { now });
    assert.equal(r.today, '2026-03-31');
    assert.equal(r.all.batches, 4);
    assert.equal(r.all.usage.inputTokens, 1_000_000 + 500_000 + 300 + 10 + 40);
    assert.deepEqual([r.last7.batches, r.last7.usage.inputTokens], [2, 1_500_300]);
    assert.deepEqual([r.last30.batches, r.last30.usage.inputTokens], [3, 1_500_310]);
    assert.deepEqual(r.perModel.map((m) => [m.model, m.row.batches, m.row.usage.requests, m.row.usage.inputTokens]), [
      ['claude-haiku-4-5', 2, 4, 310],
      ['claude-sonnet-4-5', 2, 3, 1_500_000],
      ['my-own-model', 1, 4, 40],
    ]);
    assert.deepEqual(r.perDay.map((d) => d.day), ['2026-03-31', '2026-03-25', '2026-03-10', '2026-01-02']);
    assert.equal(r.perDay[0].row.usage.cacheReadInputTokens, 10);
    assert.deepEqual(r.unknownModels, ['my-own-model']);
  });

  it('costs at batch prices, and what the same tokens cost at standard prices', () => {
    const r = aggregateUsage(batches, { now });
    const sonnet = r.perModel.find((m) => m.model === 'claude-sonnet-4-5')!.row;
    const expected = estimateActualCost({ 'claude-sonnet-4-5': { inputTokens: 1_500_000, outputTokens: 100_000, cacheCreationInputTokens: 0, cacheCreation1hInputTokens: 0, cacheReadInputTokens: 10 } });
    assert.ok(Math.abs(sonnet.cost.usd - expected.usd) < 1e-9);
    assert.ok(sonnet.cost.usd > 0);
    assert.ok(Math.abs(sonnet.standardUsd - sonnet.cost.usd / BATCH_DISCOUNT) < 1e-9);
    const text = renderUsageReport(r);
    assert.match(text, /Estimates/);
    assert.match(text, /Last 7 days \(since 2026-03-25\)/);
    assert.match(text, /Last 30 days \(since 2026-03-02\)/);
    assert.match(text, /my-own-model \(no price: not in the costs\)/);
    assert.match(text, /\(50%\)/);
    assert.match(text, /\| claude-sonnet-4-5 \| 2 \| 3 \| 1,500,000 \| 100,000 \| 0 \| 10 \| \$3\.00 \| \$6\.00 \| \$3\.00 \(50%\) \|/);
    const hostile = renderUsageReport(aggregateUsage([batchUsage('b9', '2026-03-31', { '[x](http://e) `y`': usage(1, 1, 1) })], { now }));
    assert.match(hostile, /\\\[x\\\]\\\(http/, 'a model name that is not a plain name is escaped');
  });

  it('the day is when the batch ended, else created, else downloaded (UTC)', () => {
    assert.equal(usageDay({ batch: batchObject('b', {}, undefined, { ended_at: '2026-02-01T23:30:00-02:00' }), downloadedAt: '2026-05-05T00:00:00Z' }), '2026-02-02');
    assert.equal(usageDay({ batch: batchObject('b', {}, undefined, { ended_at: null }), downloadedAt: '2026-05-05T00:00:00Z' }), '2026-01-01');
    assert.equal(usageDay({ downloadedAt: '2026-05-05T00:00:00Z' }), '2026-05-05');
  });
});

describe('usage: the file kept next to each local copy', () => {
  it('is counted once from the copy, then read from the file; another version or another copy is counted again', async () => {
    const dir = tempDir('usage');
    const archive = new ResultsArchive(dir);
    const id = 'msgbatch_usage1';
    writeJsonl(archive.completePath(id), [succeeded('a', 'x', { usage: { input_tokens: 7, output_tokens: 3 } }), succeeded('b', 'y', { model: 'claude-haiku-4-5' }), errored('c', 'api_error')]);
    const first = await archive.usage(id);
    assert.deepEqual({ ...first!.perModel['claude-sonnet-4-5'] }, usage(1, 7, 3));
    assert.equal(first!.perModel['claude-haiku-4-5'].requests, 1);
    const file = archive.usagePath(id);
    assert.ok(fs.existsSync(file));
    // Read back from the file: a changed count there is what is returned.
    const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as BatchUsage;
    kept.perModel['claude-sonnet-4-5'].inputTokens = 999;
    fs.writeFileSync(file, JSON.stringify(kept));
    assert.equal((await archive.usage(id))!.perModel['claude-sonnet-4-5'].inputTokens, 999);
    // Another version: counted again from the copy.
    fs.writeFileSync(file, JSON.stringify({ ...kept, version: USAGE_VERSION + 1 }));
    assert.equal((await archive.usage(id))!.perModel['claude-sonnet-4-5'].inputTokens, 7);
    // Another copy (more lines): counted again.
    const status = (await archive.status(id))!;
    const stale = { ...kept, copy: { ...kept.copy, lines: status.lines + 1 } };
    fs.writeFileSync(file, JSON.stringify(stale));
    const { counted } = await loadBatchUsage(file, status);
    assert.equal(counted, true);
    // A delete removes it with the copy.
    await archive.delete(id);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('a usage file without results is tidied away like a meta file', async () => {
    const dir = tempDir('usage-stale');
    fs.writeFileSync(path.join(dir, 'msgbatch_gone.usage.json'), '{}');
    const old = Date.now() / 1000 - 3 * 24 * 3600;
    fs.utimesSync(path.join(dir, 'msgbatch_gone.usage.json'), old, old);
    const removed = await removeStaleFiles(dir, Date.now());
    assert.deepEqual(removed.files, ['msgbatch_gone.usage.json']);
  });
});
