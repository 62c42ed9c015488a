import { strict as assert } from 'node:assert';
import { setFormatLocale } from '../../../src/common/format';
import { outcomeSummary, sumRequestCounts, totalRequests } from '../../../src/common/requestCounts';
import { batch } from '../domain/batchFixture';

describe('request counts: totals and the outcome summary', () => {
  afterEach(() => setFormatLocale(undefined));

  it('a batch holds every request once, whatever its state', () => {
    assert.equal(totalRequests(batch({ counts: { processing: 1, succeeded: 2, errored: 3, canceled: 4, expired: 5 } })), 15);
    assert.equal(totalRequests(batch()), 0);
  });

  it('sums the counts of several batches (a group, or batches ending together)', () => {
    const sum = sumRequestCounts([batch({ counts: { succeeded: 2, errored: 1 } }), batch({ counts: { succeeded: 3, expired: 4, processing: 1 } })]);
    assert.deepEqual(sum, { processing: 1, succeeded: 5, errored: 1, canceled: 0, expired: 4 });
    assert.deepEqual(sumRequestCounts([]), { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 });
  });

  it('words the outcomes: succeeded always, the others when there are any, in one order', () => {
    const c = batch({ counts: { succeeded: 1200, errored: 15, expired: 5, canceled: 2 } }).request_counts;
    assert.equal(outcomeSummary(c, 'symbols'), '1,200 ✓ 15 ✗ 5 expired 2 canceled');
    assert.equal(outcomeSummary(c, 'words'), '1,200 succeeded, 15 errored, 5 expired, 2 canceled');
    const none = batch().request_counts;
    assert.equal(outcomeSummary(none, 'symbols'), '0 ✓');
    assert.equal(outcomeSummary(none, 'words'), '0 succeeded');
    assert.equal(outcomeSummary(batch({ counts: { succeeded: 1, canceled: 8 } }).request_counts, 'words'), '1 succeeded, 8 canceled');
  });

  it('in the locale set for formatting', () => {
    setFormatLocale('de-DE');
    assert.equal(outcomeSummary(batch({ counts: { succeeded: 1200, errored: 1500 } }).request_counts, 'words'), '1.200 succeeded, 1.500 errored');
  });
});
