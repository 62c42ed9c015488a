import { strict as assert } from 'node:assert';
import { classifyBatchText, firstLines, freeFileName, starterBatchText, validateBatchText } from '../../../src/domain/jsonl';
import { estimateCost } from '../../../src/domain/cost/costEstimate';

describe('the New Batch File starter', () => {
  it('validates cleanly, is recognised as a batch file, and has a price', () => {
    const text = starterBatchText();
    const result = validateBatchText(text);
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.requestCount, 3);
    assert.equal(result.acceptedCount, 3);
    assert.equal(classifyBatchText(firstLines(text)).kind, 'batch');
    const cost = estimateCost(result.models);
    assert.deepEqual(cost.unknownModels, [], 'the starter model must have a built-in price, so the lens shows an estimate');
    assert.ok(cost.totalMaxUsd > 0);
  });

  it('a free name is the first of name, name-2, name-3… before the extensions', () => {
    const taken = new Set(['requests.batch.jsonl', 'requests-2.batch.jsonl']);
    assert.equal(freeFileName('requests.batch.jsonl', (c) => taken.has(c)), 'requests-3.batch.jsonl');
    assert.equal(freeFileName('requests.batch.jsonl', () => false), 'requests.batch.jsonl');
    assert.equal(freeFileName('README', (c) => c === 'README'), 'README-2');
    assert.equal(freeFileName('x.jsonl', () => true, 5), undefined);
  });
});
