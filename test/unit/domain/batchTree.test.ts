import { strict as assert } from 'node:assert';
import type { MessageBatch, UserFacingError } from '../../../src/api';
import { BatchRow, BatchTree, GroupRow, LoadMoreRow, groupPresentation, listView, wantsFirstPage, type BatchTreeSource } from '../../../src/domain/batchTree';
import type { SubmissionRecord } from '../../../src/domain/submissionRegistry';

const T0 = Date.parse('2026-11-01T10:00:00Z');
let minute = 0;
const batch = (id: string, over: Partial<MessageBatch> & { counts?: Partial<MessageBatch['request_counts']> } = {}): MessageBatch => ({
  id,
  type: 'message_batch',
  processing_status: 'ended',
  created_at: new Date(T0 - minute++ * 60_000).toISOString(),
  expires_at: new Date(T0 + 24 * 3600_000).toISOString(),
  ended_at: new Date(T0 + 3600_000).toISOString(),
  cancel_initiated_at: null,
  archived_at: null,
  results_url: `https://api.anthropic.com/v1/messages/batches/${id}/results`,
  ...over,
  request_counts: { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0, ...over.counts },
});
const record = (batchId: string, group?: { id: string; part: number; parts: number; label: string }): SubmissionRecord => ({
  batchId,
  label: group ? `${group.label} (part ${group.part} of ${group.parts})` : `${batchId}.jsonl`,
  contentHash: 'h',
  requestCount: 1,
  byteSize: 10,
  submittedAt: new Date(T0).toISOString(),
  models: ['claude-haiku-4-5'],
  group,
});

/** A store and a registry as plain data, counting the registry look-ups. */
function world(batches: MessageBatch[], records: SubmissionRecord[] = [], hasMore = false) {
  const byId = new Map(records.map((r) => [r.batchId, r]));
  const source = {
    batches,
    hasMore,
    lookups: 0,
    record(id: string) {
      source.lookups++;
      return byId.get(id);
    },
  };
  return { source: source satisfies BatchTreeSource, byId };
}
const ids = (rows: readonly unknown[]) =>
  rows.map((r) => (r instanceof BatchRow ? r.batch.id : r instanceof GroupRow ? `group:${r.groupId}` : r instanceof LoadMoreRow ? 'more' : '?'));

describe('the Batches view\'s rows', () => {
  it('nothing loaded: no rows (a welcome view shows instead)', () => {
    const tree = BatchTree.from(world([]).source);
    assert.deepEqual(tree.rows, []);
    assert.equal(tree.row('msgbatch_x'), undefined);
  });

  it('one row per batch in the store\'s order, "Load more…" last while there are older pages', () => {
    const { source } = world([batch('msgbatch_a'), batch('msgbatch_b'), batch('msgbatch_c')], [], true);
    const tree = BatchTree.from(source);
    assert.deepEqual(ids(tree.rows), ['msgbatch_a', 'msgbatch_b', 'msgbatch_c', 'more']);
    assert.deepEqual(ids(BatchTree.from({ ...source, hasMore: false, record: source.record }).rows), ['msgbatch_a', 'msgbatch_b', 'msgbatch_c']);
    assert.deepEqual(tree.childrenOf(tree.rows[0]), []);
    assert.deepEqual(tree.childrenOf(tree.rows[3]), []);
    assert.equal(tree.parentOf(tree.rows[0]), undefined);
    assert.equal(tree.parentOf(tree.rows[3]), undefined);
  });

  it('a split file\'s parts sit under one group row, at the place of its newest part, in part order', () => {
    const g = { id: 'g1', parts: 3, label: 'big.jsonl' };
    // Newest first from the API: part 3 was created last, part 1 first; another batch between.
    const { source } = world(
      [batch('msgbatch_new'), batch('msgbatch_p3'), batch('msgbatch_other'), batch('msgbatch_p2'), batch('msgbatch_p1')],
      [record('msgbatch_p1', { ...g, part: 1 }), record('msgbatch_p3', { ...g, part: 3 }), record('msgbatch_p2', { ...g, part: 2 }), record('msgbatch_other')],
      true,
    );
    const tree = BatchTree.from(source);
    assert.deepEqual(ids(tree.rows), ['msgbatch_new', 'group:g1', 'msgbatch_other', 'more']);
    const group = tree.rows[1] as GroupRow;
    assert.equal(group.label, 'big.jsonl');
    assert.deepEqual(ids(tree.childrenOf(group)), ['msgbatch_p1', 'msgbatch_p2', 'msgbatch_p3']);
    for (const member of group.members) assert.equal(tree.parentOf(member), group);
    assert.equal(tree.row('msgbatch_p2'), group.members[1]);
    assert.equal(tree.parentOf(tree.row('msgbatch_other')!), undefined);
    assert.equal(tree.row('msgbatch_other')!.record?.label, 'msgbatch_other.jsonl');
  });

  it('two groups stay apart; a group with only some parts loaded shows those', () => {
    const a = { id: 'ga', parts: 2, label: 'a.jsonl' };
    const b = { id: 'gb', parts: 3, label: 'b.jsonl' };
    const { source } = world(
      [batch('msgbatch_b2'), batch('msgbatch_a2'), batch('msgbatch_a1')],
      [record('msgbatch_a1', { ...a, part: 1 }), record('msgbatch_a2', { ...a, part: 2 }), record('msgbatch_b2', { ...b, part: 2 })],
    );
    const tree = BatchTree.from(source);
    assert.deepEqual(ids(tree.rows), ['group:gb', 'group:ga']);
    assert.deepEqual(ids((tree.rows[0] as GroupRow).members), ['msgbatch_b2']);
    assert.deepEqual(ids((tree.rows[1] as GroupRow).members), ['msgbatch_a1', 'msgbatch_a2']);
  });

  it('looks each record up once, however many rows and groups', () => {
    const g = { id: 'g', parts: 3, label: 'g.jsonl' };
    const { source } = world(
      [batch('msgbatch_3'), batch('msgbatch_2'), batch('msgbatch_1'), batch('msgbatch_x')],
      [record('msgbatch_1', { ...g, part: 1 }), record('msgbatch_2', { ...g, part: 2 }), record('msgbatch_3', { ...g, part: 3 })],
    );
    const tree = BatchTree.from(source);
    assert.equal(source.lookups, 4);
    // Reading the tree asks nothing more.
    tree.childrenOf(undefined);
    tree.childrenOf(tree.rows[0]);
    tree.parentOf(tree.row('msgbatch_2')!);
    assert.equal(source.lookups, 4);
  });

  it('keeps a batch\'s row object while neither the batch nor its record changed (selection and reveal hold rows)', () => {
    const a = batch('msgbatch_a');
    const b = batch('msgbatch_b');
    const { source, byId } = world([a, b]);
    const first = BatchTree.from(source);
    const b2 = { ...b, processing_status: 'ended' as const, request_counts: { ...b.request_counts, succeeded: 1 } };
    source.batches = [a, b2];
    const second = BatchTree.from(source, first);
    assert.equal(second.row('msgbatch_a'), first.row('msgbatch_a'));
    assert.notEqual(second.row('msgbatch_b'), first.row('msgbatch_b'));
    assert.equal(second.row('msgbatch_b')!.batch, b2);
    // The registry learns about a: its row is new, with the record.
    byId.set('msgbatch_a', record('msgbatch_a'));
    const third = BatchTree.from(source, second);
    assert.notEqual(third.row('msgbatch_a'), second.row('msgbatch_a'));
    assert.equal(third.row('msgbatch_a')!.record?.label, 'msgbatch_a.jsonl');
    // A batch gone from the store is gone from the tree.
    source.batches = [b2];
    assert.equal(BatchTree.from(source, third).row('msgbatch_a'), undefined);
  });

  it('a stale row (from an earlier tree) still finds its group by batch id', () => {
    const g = { id: 'g', parts: 2, label: 'g.jsonl' };
    const p1 = batch('msgbatch_1');
    const { source } = world([batch('msgbatch_2'), p1], [record('msgbatch_1', { ...g, part: 1 }), record('msgbatch_2', { ...g, part: 2 })]);
    const first = BatchTree.from(source);
    const stale = first.row('msgbatch_1')!;
    source.batches = [batch('msgbatch_2'), p1];
    const second = BatchTree.from(source, first);
    assert.equal(second.parentOf(stale), second.rows[0]);
  });
});

describe('a group row', () => {
  const members = (...batches: MessageBatch[]) => new GroupRow('g', 'big.jsonl', batches.map((b) => new BatchRow(b)));

  it('while any part runs: how many, turning', () => {
    const p = groupPresentation(members(batch('msgbatch_1', { counts: { succeeded: 5 } }), batch('msgbatch_2', { processing_status: 'in_progress', results_url: null, counts: { processing: 7 } })));
    assert.deepEqual(p, {
      description: '2 batches · 1 running',
      accessibleLabel: 'big.jsonl, 2 batches, 1 running',
      icon: 'sync~spin',
      tooltip: 'big.jsonl: one file submitted as 2 batches (each within the API\'s limits).',
      capabilities: 'group',
    });
  });

  it('all ended: the summed counts, and hasResults while the API keeps every part\'s results', () => {
    const ended = members(
      batch('msgbatch_1', { counts: { succeeded: 100_000, errored: 2 } }),
      batch('msgbatch_2', { counts: { succeeded: 900, expired: 3, canceled: 4 } }),
    );
    assert.deepEqual(groupPresentation(ended), {
      description: '2 batches · ended · 100,900 ✓ 2 ✗ 3 expired 4 canceled',
      accessibleLabel: 'big.jsonl, 2 batches, ended, 100,900 succeeded, 2 errored, 3 expired, 4 canceled',
      icon: 'layers',
      tooltip: 'big.jsonl: one file submitted as 2 batches (each within the API\'s limits).',
      capabilities: 'group hasResults',
    });
    assert.equal(groupPresentation(members(batch('msgbatch_1', { counts: { succeeded: 1 } }))).description, '1 batches · ended · 1 ✓');
    const oneArchived = members(batch('msgbatch_1'), batch('msgbatch_2', { archived_at: new Date(T0).toISOString() }));
    assert.equal(groupPresentation(oneArchived).capabilities, 'group');
    const noResults = members(batch('msgbatch_1'), batch('msgbatch_2', { results_url: null }));
    assert.equal(groupPresentation(noResults).capabilities, 'group');
  });
});

describe('the view besides its rows (welcome contents, message)', () => {
  const error = (kind: UserFacingError['kind']): UserFacingError => ({ kind, message: `failed: ${kind}`, retryable: false }) as UserFacingError;

  it('a welcome view for each state with no rows', () => {
    assert.deepEqual(listView({ kind: 'noKey' }, 0), { key: 'noKey', message: undefined });
    assert.deepEqual(listView({ kind: 'loading' }, 0), { key: 'loading', message: undefined });
    assert.deepEqual(listView({ kind: 'ready' }, 0), { key: 'empty', message: undefined });
    assert.deepEqual(listView({ kind: 'ready' }, 3), { key: 'ready', message: undefined });
    assert.equal(listView({ kind: 'error', error: error('auth') }, 0).key, 'keyRejected');
    assert.equal(listView({ kind: 'error', error: error('permission') }, 0).key, 'keyRejected');
    assert.equal(listView({ kind: 'error', error: error('connection') }, 0).key, 'unreachable');
    assert.equal(listView({ kind: 'error', error: error('timeout') }, 0).key, 'unreachable');
    assert.equal(listView({ kind: 'error', error: error('server') }, 0).key, 'error');
    assert.equal(listView({ kind: 'error', error: error('server') }, 0).message, undefined);
  });

  it('a failed refresh with rows still shown: the rows stay, the error shows above them', () => {
    assert.deepEqual(listView({ kind: 'error', error: error('connection') }, 2), { key: 'unreachable', message: '⚠ failed: connection' });
  });

  it('asks for the first page only while nothing was loaded and nothing is known to be wrong', () => {
    assert.equal(wantsFirstPage({ kind: 'loading' }, false), true);
    assert.equal(wantsFirstPage({ kind: 'loading' }, true), false);
    assert.equal(wantsFirstPage({ kind: 'noKey' }, false), false);
    assert.equal(wantsFirstPage({ kind: 'error', error: error('auth') }, false), false);
    assert.equal(wantsFirstPage({ kind: 'ready' }, true), false);
  });
});
