import { strict as assert } from 'node:assert';
import { planRegistryPrune } from '../../../src/domain/registryPruning';
import { SubmissionRegistry, type SubmissionRecord } from '../../../src/domain/submissionRegistry';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 6, 1);

function record(batchId: string, daysAgo: number): SubmissionRecord {
  return { batchId, label: `${batchId}.jsonl`, contentHash: 'h', requestCount: 1, byteSize: 1, submittedAt: new Date(NOW - daysAgo * DAY).toISOString(), models: [] };
}

describe('registry pruning', () => {
  it('checks only old records without a local copy, oldest first, a bounded number per pass', () => {
    const records = [record('new', 1), record('old-kept', 200), record('old-a', 120), record('old-b', 300), record('edge', 90), record('old-c', 95)];
    const plan = planRegistryPrune(records, { now: NOW, hasLocalCopy: (id) => id === 'old-kept', maxChecks: 2 });
    assert.deepEqual(plan, { forget: [], check: ['old-b', 'old-a'] });
    assert.deepEqual(planRegistryPrune(records, { now: NOW, hasLocalCopy: () => false }).check, ['old-b', 'old-kept', 'old-a', 'old-c']);
  });

  it('bounds the registry: the oldest records over the bound go, never one with a local copy', () => {
    const records = Array.from({ length: 10 }, (_, i) => record(`b${i}`, i));
    const plan = planRegistryPrune(records, { now: NOW, hasLocalCopy: (id) => id === 'b9' || id === 'b8', maxRecords: 6 });
    assert.deepEqual(plan.forget, ['b7', 'b6', 'b5', 'b4']);
    assert.deepEqual(plan.check, []);
  });

  it('forgetAll drops several records in one write and leaves the others', async () => {
    const data: Record<string, unknown> = {};
    let writes = 0;
    const registry = new SubmissionRegistry({ get: <T>(key: string) => data[key] as T, update: async (key, value) => void ((data[key] = value), writes++) });
    for (const id of ['a', 'b', 'c']) await registry.record(record(id, 1));
    writes = 0;
    await registry.forgetAll(['a', 'c', 'unknown']);
    assert.equal(writes, 1);
    assert.deepEqual(registry.list().map((r) => r.batchId), ['b']);
    await registry.forgetAll(['unknown']);
    assert.equal(writes, 1, 'nothing to forget, nothing written');
  });
});
