import { strict as assert } from 'node:assert';
import type { KeyValueStorage } from '../../../src/domain/submissionRegistry';
import { mayHaveUnfinished, UnfinishedBatches } from '../../../src/domain/unfinishedBatches';

class MemoryStorage implements KeyValueStorage {
  data = new Map<string, unknown>();
  writes = 0;
  get<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.writes++;
    this.data.set(key, JSON.parse(JSON.stringify(value)));
  }
}

const HOUR = 60 * 60 * 1000;
const NOW = Date.parse('2026-11-27T12:00:00Z');
const at = (ms: number) => new Date(ms).toISOString();

describe('UnfinishedBatches: what this machine knows is not finished', () => {
  it('an idle machine (nothing submitted, nothing seen) knows of nothing', () => {
    const unfinished = new UnfinishedBatches(new MemoryStorage(), () => [], () => NOW);
    assert.deepEqual(unfinished.ids(), []);
    assert.deepEqual([...unfinished.atStart], []);
  });

  it('a submission counts until the batch is seen ending, across restarts', async () => {
    const storage = new MemoryStorage();
    const first = new UnfinishedBatches(storage, () => [], () => NOW);
    await first.add('b1');
    const second = new UnfinishedBatches(storage, () => [], () => NOW + HOUR);
    assert.deepEqual(second.ids(), ['b1']);
    assert.deepEqual([...second.atStart], ['b1']);
    await second.observe([{ id: 'b1', processing_status: 'ended' }]);
    assert.deepEqual(second.ids(), []);
    // What was unfinished at the start stays known for this session (to announce the end).
    assert.ok(second.atStart.has('b1'));
    assert.deepEqual(new UnfinishedBatches(storage, () => [], () => NOW + 2 * HOUR).ids(), []);
  });

  it('batches seen in flight are remembered, ended ones let go; an unchanged view writes nothing', async () => {
    const storage = new MemoryStorage();
    const unfinished = new UnfinishedBatches(storage, () => [], () => NOW);
    await unfinished.observe([
      { id: 'a', processing_status: 'in_progress' },
      { id: 'b', processing_status: 'canceling' },
      { id: 'c', processing_status: 'ended' },
    ]);
    assert.deepEqual(unfinished.ids().sort(), ['a', 'b']);
    const writes = storage.writes;
    await unfinished.observe([{ id: 'a', processing_status: 'in_progress' }, { id: 'c', processing_status: 'ended' }]);
    assert.equal(storage.writes, writes);
    await unfinished.observe([{ id: 'b', processing_status: 'ended' }]);
    assert.deepEqual(unfinished.ids(), ['a']);
  });

  it('a batch the API no longer knows is forgotten', async () => {
    const unfinished = new UnfinishedBatches(new MemoryStorage(), () => [], () => NOW);
    await unfinished.add('gone');
    await unfinished.forget('gone');
    await unfinished.forget('never-there');
    assert.deepEqual(unfinished.ids(), []);
  });

  it('first start with this memory: only submissions young enough to still run count', () => {
    const submissions = [
      { batchId: 'recent', submittedAt: at(NOW - 3 * HOUR) },
      { batchId: 'yesterday-morning', submittedAt: at(NOW - 30 * HOUR) },
    ];
    const unfinished = new UnfinishedBatches(new MemoryStorage(), () => submissions, () => NOW);
    assert.deepEqual(unfinished.ids(), ['recent']);
  });

  it('once the memory exists, old submissions are not counted again', async () => {
    const storage = new MemoryStorage();
    await new UnfinishedBatches(storage, () => [], () => NOW).observe([]);
    const recent = [{ batchId: 'recent', submittedAt: at(NOW - HOUR) }];
    await storage.update('claudeBatches.unfinished', {});
    assert.deepEqual(new UnfinishedBatches(storage, () => recent, () => NOW).ids(), []);
  });

  it('an entry never seen ending is dropped after 30 days', async () => {
    const storage = new MemoryStorage();
    await new UnfinishedBatches(storage, () => [], () => NOW).add('lost');
    assert.deepEqual(new UnfinishedBatches(storage, () => [], () => NOW + 31 * 24 * HOUR).ids(), []);
  });

  it('the start loads the features only when there may be something to watch', async () => {
    const storage = new MemoryStorage();
    assert.equal(mayHaveUnfinished(storage), true, 'nothing remembered yet: the first start works it out from the submissions');
    const unfinished = new UnfinishedBatches(storage, () => [], () => NOW);
    assert.equal(mayHaveUnfinished(storage), false, 'an idle machine has nothing to watch');
    await unfinished.add('msgbatch_a');
    assert.equal(mayHaveUnfinished(storage), true);
    await unfinished.observe([{ id: 'msgbatch_a', processing_status: 'ended' }]);
    assert.equal(mayHaveUnfinished(storage), false);
    storage.data.set('claudeBatches.unfinished', 'not a record');
    assert.equal(mayHaveUnfinished(storage), true, 'a damaged memory is worked out again');
  });
});
