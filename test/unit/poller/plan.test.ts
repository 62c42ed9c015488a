import { strict as assert } from 'node:assert';
import { forgetBatch, NO_MEMORY, plan, rememberList, type PlanMemory, type PlannedBatch, type RequestPlan } from '../../../src/domain/pollPlan';

// Which request a tick makes, as a table: the store's batches (newest first) and what the poller
// remembers from earlier ticks in; one request (or none) and the memory once it is made out.

const NOW = 1_000_000;

/** `n` batches newest first, ids b0 (newest) … b{n-1}; those at `inFlight` positions are running. */
function batches(n: number, inFlight: number[]): PlannedBatch[] {
  return Array.from({ length: n }, (_, i) => ({ id: `b${i}`, processing_status: inFlight.includes(i) ? 'in_progress' : 'ended' }));
}

function memory(partial: Partial<PlanMemory> = {}): PlanMemory {
  return { ...NO_MEMORY, ...partial };
}

describe('poll plan (pure)', () => {
  const table: { name: string; batches: PlannedBatch[]; memory: PlanMemory; request: RequestPlan | undefined }[] = [
    { name: 'nothing in flight: no request', batches: batches(5, []), memory: memory(), request: undefined },
    { name: 'an empty store: no request', batches: [], memory: memory(), request: undefined },
    { name: 'one in flight near the top: a list of at least 20', batches: batches(5, [2]), memory: memory(), request: { kind: 'list', limit: 20, targets: ['b2'] } },
    {
      name: 'the deepest in flight sets the limit, with room for new batches',
      batches: batches(40, [3, 30]),
      memory: memory(),
      request: { kind: 'list', limit: 41, targets: ['b30', 'b3'] },
    },
    {
      name: 'batches the store does not know push ours further down',
      batches: batches(40, [30]),
      memory: memory({ unknownInWindow: 7 }),
      request: { kind: 'list', limit: 48, targets: ['b30'] },
    },
    { name: 'the limit stops at the API maximum', batches: batches(1000, [995]), memory: memory(), request: { kind: 'list', limit: 1000, targets: ['b995'] } },
    {
      name: 'beyond the list window, first tick: the list goes first',
      batches: batches(1003, [0, 1001]),
      memory: memory(),
      request: { kind: 'list', limit: 20, targets: ['b0'] },
    },
    {
      name: 'beyond the list window, after a list: a retrieve',
      batches: batches(1003, [0, 1001]),
      memory: memory({ lastRequest: 'list' }),
      request: { kind: 'retrieve', batchId: 'b1001' },
    },
    {
      name: 'beyond the list window, after a retrieve: the list again',
      batches: batches(1003, [0, 1001]),
      memory: memory({ lastRequest: 'retrieve', lastRetrieved: new Map([['b1001', NOW - 1]]) }),
      request: { kind: 'list', limit: 20, targets: ['b0'] },
    },
    {
      name: 'only batches a list cannot reach: retrieved every tick',
      batches: batches(1003, [1001, 1002]),
      memory: memory({ lastRequest: 'retrieve', lastRetrieved: new Map([['b1002', NOW - 1]]) }),
      request: { kind: 'retrieve', batchId: 'b1001' },
    },
    {
      name: 'never retrieved goes first, oldest first among them',
      batches: batches(1004, [0, 1001, 1002, 1003]),
      memory: memory({ lastRequest: 'list', lastRetrieved: new Map([['b1003', NOW - 5]]) }),
      request: { kind: 'retrieve', batchId: 'b1002' },
    },
    {
      name: 'then the one checked longest ago',
      batches: batches(1003, [0, 1001, 1002]),
      memory: memory({ lastRequest: 'list', lastRetrieved: new Map([['b1001', NOW - 5], ['b1002', NOW - 9]]) }),
      request: { kind: 'retrieve', batchId: 'b1002' },
    },
    {
      name: 'a batch a list missed is retrieved, and no longer sets the list limit',
      batches: batches(40, [2, 30]),
      memory: memory({ lastRequest: 'list', missedByList: new Set(['b30']) }),
      request: { kind: 'retrieve', batchId: 'b30' },
    },
    {
      name: 'a missed batch alone: retrieved even after a retrieve',
      batches: batches(40, [30]),
      memory: memory({ lastRequest: 'retrieve', missedByList: new Set(['b30']) }),
      request: { kind: 'retrieve', batchId: 'b30' },
    },
    {
      name: 'a missed batch that has ended is no reason to retrieve',
      batches: batches(40, [2]),
      memory: memory({ lastRequest: 'list', missedByList: new Set(['b30']) }),
      request: { kind: 'list', limit: 20, targets: ['b2'] },
    },
  ];
  for (const row of table) {
    it(row.name, () => {
      assert.deepEqual(plan(row.batches, row.memory, NOW).request, row.request);
    });
  }

  it('the memory out: the request made, when each batch was retrieved, nothing about batches no longer in flight', () => {
    const input = memory({ lastRequest: 'list', missedByList: new Set(['b30', 'b7']), lastRetrieved: new Map([['b7', 1], ['b31', 2]]), unknownInWindow: 3 });
    const out = plan(batches(40, [2, 30, 31]), input, NOW);
    assert.deepEqual(out.request, { kind: 'retrieve', batchId: 'b30' });
    assert.deepEqual(out.memory, { lastRequest: 'retrieve', missedByList: new Set(['b30']), lastRetrieved: new Map([['b31', 2], ['b30', NOW]]), unknownInWindow: 3 });
    assert.deepEqual([...input.missedByList], ['b30', 'b7'], 'the memory in is left as it was');
    const list = plan(batches(40, [2]), out.memory, NOW);
    assert.equal(list.memory.lastRequest, 'list');
    assert.deepEqual(list.memory.lastRetrieved, new Map());
  });

  it('no request: the memory is only pruned', () => {
    const out = plan(batches(3, []), memory({ lastRequest: 'list', missedByList: new Set(['b1']) }), NOW);
    assert.equal(out.request, undefined);
    assert.deepEqual(out.memory, memory({ lastRequest: 'list' }));
  });

  it('after a list: targets it did not return are missed, returned ones no longer, unknown ones counted', () => {
    const before = memory({ missedByList: new Set(['b9']), unknownInWindow: 4 });
    const after = rememberList(before, ['b1', 'b2'], [{ id: 'b1' }, { id: 'b9' }, { id: 'x' }, { id: 'y' }], new Set(['b1', 'b2', 'b9']));
    assert.deepEqual(after.missedByList, new Set(['b2']));
    assert.equal(after.unknownInWindow, 2);
    assert.deepEqual(before.missedByList, new Set(['b9']), 'the memory in is left as it was');
  });

  it('a batch that is gone is forgotten', () => {
    const after = forgetBatch(memory({ missedByList: new Set(['a', 'b']), lastRetrieved: new Map([['a', 1]]) }), 'a');
    assert.deepEqual(after, memory({ missedByList: new Set(['b']), lastRetrieved: new Map() }));
  });
});
