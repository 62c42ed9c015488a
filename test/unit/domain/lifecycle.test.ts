import { strict as assert } from 'node:assert';
import { BatchStore } from '../../../src/domain/batchStore';
import { Emitter, type Disposable } from '../../../src/domain/events';
import { DisposableObject } from '../../../src/domain/lifecycle';
import { Poller } from '../../../src/domain/poller';
import { SubmissionRegistry, type SubmissionRecord } from '../../../src/domain/submissionRegistry';
import { countListeners, countListenersOf } from '../../listenerCount';
import { FakeTimers } from '../poller/fakeTimers';

/** A disposable that writes its name to `log` when disposed, and throws when asked to. */
function child(log: string[], name: string, fails = false): Disposable {
  return {
    dispose: () => {
      log.push(name);
      if (fails) throw new Error(`${name} failed`);
    },
  };
}

const record = (batchId: string): SubmissionRecord => ({
  batchId,
  label: `${batchId}.jsonl`,
  contentHash: 'h',
  requestCount: 1,
  byteSize: 1,
  submittedAt: new Date(0).toISOString(),
  models: ['m'],
});

function memoryStorage() {
  const data: Record<string, unknown> = {};
  return { get: <T>(key: string) => data[key] as T, update: async (key: string, value: unknown) => void (data[key] = value) };
}

describe('DisposableObject', () => {
  it('disposes what it registered, last registered first', () => {
    const log: string[] = [];
    const owner = new DisposableObject();
    owner.register(child(log, 'first'));
    owner.register(child(log, 'second'));
    owner.register(child(log, 'third'));
    owner.dispose();
    assert.deepEqual(log, ['third', 'second', 'first']);
  });

  it('returns what it registers, so a field can be declared and registered at once', () => {
    const owner = new DisposableObject();
    const emitter = new Emitter<number>();
    assert.equal(owner.register(emitter), emitter);
  });

  it('disposes each child once, however often it is disposed', () => {
    const log: string[] = [];
    const owner = new DisposableObject();
    owner.register(child(log, 'only'));
    owner.dispose();
    owner.dispose();
    assert.deepEqual(log, ['only']);
  });

  it('disposes at once what is registered after it was disposed', () => {
    const log: string[] = [];
    const owner = new DisposableObject();
    owner.dispose();
    owner.register(child(log, 'late'));
    assert.deepEqual(log, ['late']);
  });

  it('disposes every child when one throws, then reports the failure', () => {
    const log: string[] = [];
    const owner = new DisposableObject();
    owner.register(child(log, 'first'));
    owner.register(child(log, 'broken', true));
    owner.register(child(log, 'third'));
    assert.throws(() => owner.dispose(), /broken failed/);
    assert.deepEqual(log, ['third', 'broken', 'first']);
    owner.dispose();
    assert.deepEqual(log, ['third', 'broken', 'first'], 'a second dispose does not try again');
  });

  it('reports every failure when several children throw', () => {
    const owner = new DisposableObject();
    owner.register(child([], 'a', true));
    owner.register(child([], 'b', true));
    assert.throws(
      () => owner.dispose(),
      (err: unknown) => err instanceof AggregateError && err.errors.length === 2 && /2 disposables failed/.test(err.message),
    );
  });
});

describe('domain emitters on dispose', () => {
  it('the registry stops telling its listeners once disposed', async () => {
    const registry = new SubmissionRegistry(memoryStorage());
    const heard: string[] = [];
    registry.onDidChange((r) => heard.push(r.batchId));
    await registry.record(record('before'));
    registry.dispose();
    await registry.record(record('after'));
    assert.deepEqual(heard, ['before']);
  });

  it('the store stops telling its listeners once disposed', () => {
    const store = new BatchStore({ api: async () => undefined, pageSize: () => 10 });
    let heard = 0;
    store.onDidChange(() => heard++);
    store.reset();
    store.dispose();
    store.reset();
    assert.equal(heard, 1);
  });

  it('the poller lets go of the store once disposed', () => {
    const store = new BatchStore({ api: async () => undefined, pageSize: () => 10 });
    const listeners = countListenersOf(store, 'onDidChange');
    const poller = new Poller({ store, api: async () => undefined, timers: new FakeTimers(), settings: () => ({ intervalSeconds: 30, maxIntervalSeconds: 300 }) });
    assert.equal(listeners.live(), 1, 'the poller watches the store');
    poller.dispose();
    assert.equal(listeners.live(), 0);
  });

  it('counts a listener until its subscription is disposed (the helper the disposal tests rely on)', () => {
    const emitter = new Emitter<void>();
    const events = countListeners(emitter.event);
    const subscription = events.event(() => undefined);
    assert.equal(events.live(), 1);
    subscription.dispose();
    subscription.dispose();
    assert.equal(events.live(), 0);
  });
});
