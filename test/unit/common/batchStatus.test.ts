import { strict as assert } from 'node:assert';
import { apiHasResults, hasFailures, isEnded, isRunning, statusText } from '../../../src/common/batchStatus';
import { totalRequests } from '../../../src/common/requestCounts';
import { batch, T0 } from '../domain/batchFixture';

describe('batch status', () => {
  const running = batch({ processing_status: 'in_progress', ended_at: null, results_url: null, counts: { processing: 3 } });
  const canceling = batch({ processing_status: 'canceling', ended_at: null, results_url: null, cancel_initiated_at: new Date(T0).toISOString() });

  it('running is in progress only: a canceling batch can no longer be canceled, nor deleted', () => {
    assert.equal(isRunning(running), true);
    assert.equal(isRunning(canceling), false);
    assert.equal(isRunning(batch()), false);
    assert.equal(isEnded(canceling), false);
    assert.equal(isEnded(running), false);
    assert.equal(isEnded(batch()), true);
  });

  it('the API has the results of an ended batch until it archives them', () => {
    assert.equal(apiHasResults(batch()), true);
    assert.equal(apiHasResults(batch({ archived_at: new Date(T0).toISOString() })), false);
    assert.equal(apiHasResults(batch({ results_url: null })), false);
    assert.equal(apiHasResults(running), false);
  });

  it('the request total counts every request, whatever became of it', () => {
    assert.equal(totalRequests(running), 3);
    assert.equal(totalRequests(batch({ counts: { succeeded: 5, errored: 4, canceled: 3, expired: 2, processing: 0 } })), 14);
  });

  it('failures are errored or expired requests; canceled ones are not', () => {
    assert.equal(hasFailures(batch({ counts: { succeeded: 2 } })), false);
    assert.equal(hasFailures(batch({ counts: { canceled: 2 } })), false);
    assert.equal(hasFailures(batch({ counts: { errored: 1 } })), true);
    assert.equal(hasFailures(batch({ counts: { expired: 1 } })), true);
  });

  it('reads the status in words', () => {
    assert.equal(statusText(running), 'in progress');
    assert.equal(statusText(canceling), 'canceling');
    assert.equal(statusText(batch()), 'ended');
  });
});
