import { strict as assert } from 'node:assert';
import { ReliableState, type StateStorage } from '../../../src/domain/reliableState';
import { SubmissionRegistry, type SubmissionRecord } from '../../../src/domain/submissionRegistry';

/**
 * VS Code's global state as the extension host has it: one object per extension, updated in
 * place, sent whole to the workbench by a flush scheduled after an update; the workbench stores it
 * and sends every change back (its own writes included) as the whole stored object, then answers
 * the flush. Here each side's queue of work is explicit, so a test decides what arrives when.
 */
class EchoingMemento implements StateStorage {
  /** The extension host's object. */
  private value: Record<string, unknown> = {};
  /** The workbench's stored text. */
  stored = '{}';
  /** The extension host's work to do, in order: flushes, and messages from the workbench. */
  private readonly queue: (() => void)[] = [];
  private flushScheduled = false;
  private waiting: (() => void)[] = [];
  /** Runs in the workbench just after it stored a flush (another window writing right then). */
  afterStore: () => void = () => undefined;

  get<T>(key: string): T | undefined {
    return this.value[key] as T | undefined;
  }

  keys(): readonly string[] {
    return Object.keys(this.value).filter((k) => this.value[k] !== undefined);
  }

  update(key: string, value: unknown): Promise<void> {
    this.value[key] = value;
    const settled = new Promise<void>((resolve) => this.waiting.push(resolve));
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      this.queue.push(() => this.flush());
    }
    return settled;
  }

  /** Another window writes: the workbench stores it and tells this extension host. */
  externalWrite(key: string, value: unknown): void {
    const stored = JSON.parse(this.stored) as Record<string, unknown>;
    stored[key] = value;
    this.stored = JSON.stringify(stored);
    const echo = this.stored;
    this.queue.push(() => (this.value = JSON.parse(echo) as Record<string, unknown>));
  }

  private flush(): void {
    this.flushScheduled = false;
    const waiting = this.waiting;
    this.waiting = [];
    // The workbench stores the object as sent, tells every listener (this host too), then answers.
    this.stored = JSON.stringify(this.value);
    const echo = this.stored;
    this.queue.push(() => (this.value = JSON.parse(echo) as Record<string, unknown>));
    this.afterStore();
    this.queue.push(() => waiting.forEach((resolve) => resolve()));
  }

  /** Runs the next piece of queued work; false when there is none. */
  async step(): Promise<boolean> {
    const next = this.queue.shift();
    if (!next) return false;
    next();
    for (let i = 0; i < 10; i++) await Promise.resolve();
    return true;
  }

  async drain(): Promise<void> {
    for (let i = 0; i < 1000 && (await this.step()); i++);
  }
}

const record = (batchId: string): SubmissionRecord => ({ batchId, label: `${batchId}.jsonl`, contentHash: `hash-${batchId}`, requestCount: 1, byteSize: 1, submittedAt: '2026-11-28T00:00:00.000Z', models: [] });

describe('reliable global state (reads back what this window wrote)', () => {
  /**
   * The delete of a batch: its record is forgotten while another key's write (an announced end)
   * is on its way. That write's echo carries the object of before the removal: it arrives after
   * the removal (a stale read) and before the removal is sent (a lost write).
   */
  async function forgetWhileAnotherWriteIsOnItsWay(storage: StateStorage, memento: EchoingMemento): Promise<{ seenAfterForget: boolean; registry: SubmissionRegistry }> {
    const registry = new SubmissionRegistry(storage);
    const recorded = registry.record(record('msgbatch_1'));
    await memento.drain();
    await recorded;
    const announced = storage.update('claudeBatches.announcedEnds', { msgbatch_0: 1 });
    await memento.step(); // its flush: the workbench stores the object (the record in it); echo and answer queued
    const forgotten = registry.forget('msgbatch_1'); // its flush queued after them
    await memento.step(); // the echo: the object of before the removal
    const seenAfterForget = registry.has('msgbatch_1');
    await memento.drain();
    await Promise.all([announced, forgotten]);
    return { seenAfterForget, registry };
  }

  it("VS Code's state alone: the echo brings the forgotten record back, for good (the failure this guards against)", async () => {
    const memento = new EchoingMemento();
    const { seenAfterForget, registry } = await forgetWhileAnotherWriteIsOnItsWay(memento, memento);
    assert.equal(seenAfterForget, true);
    assert.equal(registry.has('msgbatch_1'), true);
    assert.match(memento.stored, /msgbatch_1/);
  });

  it('a forgotten record stays forgotten, read at once and once persisted; the other write stays too', async () => {
    const memento = new EchoingMemento();
    const state = new ReliableState(memento);
    const { seenAfterForget, registry } = await forgetWhileAnotherWriteIsOnItsWay(state, memento);
    assert.equal(seenAfterForget, false, 'read back while the removal is on its way');
    assert.equal(registry.has('msgbatch_1'), false, 'read back once persisted');
    const stored = JSON.parse(memento.stored) as Record<string, Record<string, unknown>>;
    assert.deepEqual(stored['claudeBatches.submissions'], {}, 'what the workbench stores');
    assert.deepEqual(stored['claudeBatches.announcedEnds'], { msgbatch_0: 1 });
  });

  it('a write the echo of an older object replaced before it was sent is written again', async () => {
    const memento = new EchoingMemento();
    const state = new ReliableState(memento);
    const first = state.update('a', 1);
    await memento.step(); // flush of a=1; echo and answer queued
    const second = state.update('a', 2); // its flush queued after the echo
    await memento.step(); // echo {a:1}: the host's object loses a=2 before it is sent
    assert.equal(memento.get('a'), 1, 'VS Code\'s own object lost the write');
    assert.equal(state.get('a'), 2, 'reads answer the write still on its way');
    await memento.drain();
    await Promise.all([first, second]);
    assert.equal(state.get('a'), 2);
    assert.equal((JSON.parse(memento.stored) as { a: number }).a, 2, 'persisted');
  });

  it('keys this window does not write follow other windows; keys() counts writes on their way', async () => {
    const memento = new EchoingMemento();
    const state = new ReliableState(memento);
    memento.externalWrite('theirs', 'x');
    await memento.drain();
    assert.equal(state.get('theirs'), 'x');
    const writing = state.update('mine', 1);
    const removing = state.update('theirs', undefined);
    assert.deepEqual([...state.keys()].sort(), ['mine']);
    await memento.drain();
    await Promise.all([writing, removing]);
    assert.deepEqual([...state.keys()].sort(), ['mine']);
    memento.externalWrite('mine', 5);
    await memento.drain();
    assert.equal(state.get('mine'), 5, 'once settled, another window\'s later write is read');
  });

  it("another window's newer write just after ours stands: not taken for an echo, not written over", async () => {
    const memento = new EchoingMemento();
    const state = new ReliableState(memento);
    let sends = 0;
    memento.afterStore = () => {
      sends++;
      if (sends === 1) memento.externalWrite('k', 'theirs'); // lands just after ours
    };
    const writing = state.update('k', 'mine');
    await memento.drain();
    await writing;
    assert.equal(sends, 1, 'ours was written once');
    assert.equal(state.get('k'), 'theirs');
  });

  it('a value read from disk and then replaced, brought back by an echo, is written over again', async () => {
    const memento = new EchoingMemento();
    memento.externalWrite('claudeBatches.submissions', { msgbatch_1: record('msgbatch_1') }); // as found at the start
    await memento.drain();
    const state = new ReliableState(memento);
    const registry = new SubmissionRegistry(state);
    const announced = state.update('claudeBatches.announcedEnds', { msgbatch_0: 1 });
    await memento.step(); // its flush: the object with the record as found
    const forgotten = registry.forget('msgbatch_1');
    await memento.step(); // the echo: the record as found, back
    assert.equal(registry.has('msgbatch_1'), false);
    await memento.drain();
    await Promise.all([announced, forgotten]);
    assert.equal(registry.has('msgbatch_1'), false);
    assert.doesNotMatch(memento.stored, /msgbatch_1/);
  });
});
