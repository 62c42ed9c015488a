import { strict as assert } from 'node:assert';
import { batchCapabilities, batchDescription, batchIcon, batchLabel, batchRowAccessibleLabel, batchRowDescription, batchRowLabel, batchTooltip, resultsDeletedAt } from '../../../src/domain/batchPresentation';
import { batch, T0 } from './batchFixture';

describe('batch presentation', () => {
  it('describes an ended batch with its counts', () => {
    assert.equal(batchDescription(batch({ counts: { succeeded: 980, errored: 15, expired: 5 } }), T0), 'ended · 980 ✓ 15 ✗ 5 expired');
    assert.equal(batchDescription(batch({ counts: { succeeded: 1200 } }), T0), 'ended · 1,200 ✓');
  });

  it('describes a running batch by size and elapsed time, since counts say nothing yet', () => {
    const running = batch({ processing_status: 'in_progress', ended_at: null, results_url: null, counts: { processing: 1000 } });
    assert.equal(batchDescription(running, T0 + 12 * 60_000), 'in progress · 1,000 requests · 12m');
  });

  it('says canceled, and results deleted', () => {
    assert.equal(batchDescription(batch({ cancel_initiated_at: new Date(T0).toISOString(), counts: { succeeded: 2, canceled: 8 } }), T0), 'canceled · 2 ✓ 8 canceled');
    assert.equal(batchDescription(batch({ archived_at: new Date(T0).toISOString(), counts: { succeeded: 1 } }), T0), 'results deleted · 1 ✓');
  });

  it('capabilities: running → cancelable; ended → deletable (+ hasResults while the API keeps them)', () => {
    assert.equal(batchCapabilities(batch({ processing_status: 'in_progress', results_url: null })), 'batch cancelable');
    assert.equal(batchCapabilities(batch({ processing_status: 'canceling', results_url: null })), 'batch');
    assert.equal(batchCapabilities(batch()), 'batch deletable hasResults');
    assert.equal(batchCapabilities(batch({ archived_at: new Date(T0).toISOString() })), 'batch deletable');
  });

  it('icons spin while running', () => {
    assert.equal(batchIcon(batch({ processing_status: 'in_progress' })).id, 'sync~spin');
    assert.equal(batchIcon(batch({ counts: { errored: 1 } })).id, 'warning');
    assert.equal(batchIcon(batch({ counts: { succeeded: 1 } })).id, 'pass');
  });

  it('labels with the source file when this machine submitted it', () => {
    assert.equal(batchLabel(batch(), undefined), 'msgbatch_01abc');
    const record = { batchId: 'msgbatch_01abc', label: 'prompts.jsonl', contentHash: 'x', requestCount: 1, byteSize: 1, submittedAt: new Date(T0).toISOString(), models: [] };
    assert.equal(batchLabel(batch(), record), 'prompts.jsonl');
  });

  it('a row is named short, so that its status and counts fit the default side-bar width', () => {
    const id = 'msgbatch_01Tw5MkoGluLZO4Y8O7abcde';
    const record = (label: string) => ({ batchId: id, label, contentHash: 'x', requestCount: 1, byteSize: 1, submittedAt: new Date(T0).toISOString(), models: [] });
    const ended = batch({ id, counts: { succeeded: 980, errored: 15, expired: 5 } });
    // Not submitted from here: the id's tail, which tells batches apart; the whole id ends the description.
    assert.equal(batchRowLabel(ended, undefined), `…${id.slice(-8)}`);
    assert.notEqual(batchRowLabel(batch({ id: 'msgbatch_01Tw5MkoGluLZO4Y8O7zzzzz' }), undefined), batchRowLabel(ended, undefined));
    assert.equal(batchRowDescription(ended, T0), `ended · 980 ✓ 15 ✗ 5 expired · ${id}`);
    // The source file, whole when short, cut in the middle (start and extension kept) when long.
    assert.equal(batchRowLabel(ended, record('prompts.jsonl')), 'prompts.jsonl');
    const long = batchRowLabel(ended, record('customer-support-tickets-2026-11-q4-final.jsonl'));
    assert.equal(long, 'customer-s…final.jsonl');
    assert.ok([...long].length <= 22);
    // Status and counts come first in the description, the id last: what the side bar cuts is the id.
    const running = batch({ id, processing_status: 'in_progress', ended_at: null, results_url: null, counts: { processing: 1000 } });
    assert.equal(batchRowDescription(running, T0 + 12 * 60_000), `in progress · 1,000 requests · 12m · ${id}`);
  });

  it('a screen reader hears the row in words: the whole label, status, counts spelled out, then the id', () => {
    const id = 'msgbatch_01Tw5MkoGluLZO4Y8O7abcde';
    const record = { batchId: id, label: 'customer-support-tickets-2026-11-q4-final.jsonl', contentHash: 'x', requestCount: 1, byteSize: 1, submittedAt: new Date(T0).toISOString(), models: [] };
    const ended = batch({ id, counts: { succeeded: 980, errored: 15, expired: 5 } });
    assert.equal(batchRowAccessibleLabel(ended, record), `customer-support-tickets-2026-11-q4-final.jsonl, ended, 980 succeeded, 15 errored, 5 expired, ${id}`);
    assert.equal(batchRowAccessibleLabel(batch({ id, processing_status: 'in_progress', ended_at: null, results_url: null, counts: { processing: 1 } }), undefined), `…${id.slice(-8)}, in progress, 1 request, ${id}`);
    assert.equal(batchRowAccessibleLabel(batch({ id, cancel_initiated_at: new Date(T0).toISOString(), counts: { succeeded: 2, canceled: 8 } }), undefined), `…${id.slice(-8)}, canceled, 2 succeeded, 8 canceled, ${id}`);
    assert.doesNotMatch(batchRowAccessibleLabel(ended, record), /[✓✗·]/);
  });

  it('the tooltip has every field, and when the results will be deleted', () => {
    const text = batchTooltip(batch({ counts: { succeeded: 3, errored: 1 } }), undefined, T0 + 2 * 86_400_000);
    for (const field of ['ID', 'Created', 'Ended', 'Results deleted', 'Succeeded', 'Errored', 'Canceled', 'Expired', 'Processing', 'Source']) {
      assert.match(text, new RegExp(`\\| ${field} \\|`));
    }
    assert.match(text, /in 27d/);
    assert.equal(resultsDeletedAt(batch()), T0 + 29 * 86_400_000);
  });
});
