import { strict as assert } from 'node:assert';
import type { MessageBatch } from '../../../src/api';
import { PollWorld } from './world';

/** Old enough that the backoff alone decides, young enough not to have expired. */
const OLD = 7 * 3600_000;

describe('Poller faults', () => {
  let world: PollWorld;
  let batch: MessageBatch;
  beforeEach(async () => {
    world = await PollWorld.start();
    [batch] = world.seed(1, OLD); // young batches: schedule.test.ts
    await world.store.refresh();
    world.startPoller();
  });
  afterEach(() => world.close());

  it('429 with retry-after 120: the next tick comes no sooner, even when poked', async () => {
    world.emulator.faults.add({ route: 'list', status: 429, retryAfter: 120 });
    const failedAt = world.timers.now() + 30_000;
    await world.tick();
    assert.equal(world.kind(), 'failing');
    assert.ok(world.schedules.at(-1)!.delayMs >= 120_000, `waits ${world.schedules.at(-1)!.delayMs} ms`);
    world.poller.poke();
    world.poller.setFocused(false);
    world.poller.setFocused(true);
    assert.ok(world.timers.nextAt()! >= failedAt + 120_000, 'poke and focus do not break the retry-after');
    await world.tick();
    assert.ok(world.timers.now() >= failedAt + 120_000);
    assert.equal(world.kind(), 'polling');
    const state = world.poller.state;
    assert.ok(state.kind === 'polling' && state.nextPollAt > world.timers.now());
  });

  for (const fault of [
    { name: '500', f: { route: 'list' as const, status: 500 }, kind: 'server' },
    { name: '529', f: { route: 'list' as const, status: 529 }, kind: 'overloaded' },
    { name: 'a dropped connection', f: { route: 'list' as const, drop: 'before-commit' as const }, kind: 'connection' },
  ]) {
    it(`${fault.name}: failing is reported once across failing ticks, backs off, and recovers by itself`, async () => {
      await world.tick();
      await world.tick(); // the backoff has grown to 68 s
      world.emulator.faults.add({ ...fault.f, times: 4 });
      for (let i = 0; i < 4; i++) {
        const requests = await world.tick();
        assert.equal(requests.length, 1, 'one request per tick, even failing');
        assert.equal(world.kind(), 'failing');
      }
      const state = world.poller.state;
      assert.ok(state.kind === 'failing' && state.error.kind === fault.kind, JSON.stringify(state));
      assert.deepEqual(world.delays(), [30, 45, 68, 102, 153, 230, 300], 'failures keep backing off, capped');
      assert.deepEqual(world.states.map((s) => s.kind), ['failing'], 'reported once');

      world.emulator.finish(batch.id);
      await world.tick();
      assert.deepEqual(world.states.map((s) => s.kind), ['failing', 'idle']);
      assert.equal(world.store.get(batch.id)?.processing_status, 'ended', 'the batch ended during the outage is seen');
    });
  }

  it('recovers to polling while batches are still in flight', async () => {
    world.emulator.faults.add({ route: 'list', status: 500, times: 2 });
    await world.tick();
    await world.tick();
    await world.tick();
    assert.deepEqual(world.states.map((s) => s.kind), ['failing', 'polling']);
    assert.equal(world.kind(), 'polling');
  });

  it('401 stops polling with the key named, and no further request is made until poked', async () => {
    world.emulator.faults.add({ route: 'list', status: 401 });
    await world.tick();
    const state = world.poller.state;
    assert.ok(state.kind === 'stopped' && state.reason === 'auth' && state.error.kind === 'auth');
    assert.match(state.error.message, /Set API Key/);
    assert.equal(world.timers.pending, 0);
    const count = world.apiRequests().length;
    world.poller.setFocused(false);
    world.poller.setFocused(true);
    world.store.upsert({ ...batch, request_counts: { ...batch.request_counts, processing: 2 } });
    assert.equal(world.timers.pending, 0, 'store changes and focus do not restart it');
    assert.equal(world.apiRequests().length, count);

    // A new key was set: the extension pokes.
    world.poller.poke();
    assert.equal(world.kind(), 'polling');
    const requests = await world.tick();
    assert.equal(requests.length, 1);
    assert.equal(requests[0].status, 200);
    assert.deepEqual(world.states.map((s) => s.kind), ['stopped', 'idle', 'polling']);
  });

  it('after a 401, a store emptied for a new key lets polling start again once batches load', async () => {
    world.emulator.faults.add({ route: 'list', status: 401 });
    await world.tick();
    assert.equal(world.kind(), 'stopped');
    world.store.reset();
    assert.equal(world.kind(), 'idle');
    await world.store.refresh();
    assert.equal(world.kind(), 'polling');
    const requests = await world.tick();
    assert.equal(requests[0].status, 200);
  });

  it('gives up a request that has not answered in 60 s: failing (timeout), and the next tick works', async () => {
    world.emulator.faults.add({ route: 'list', delayMs: 2_000 });
    const before = world.emulator.requests.length;
    world.timers.fireNext();
    // The emulator holds the request; the only timer is the tick's timeout.
    while (world.emulator.requests.length === before) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(world.timers.pending, 1);
    assert.equal(world.timers.nextAt()! - world.timers.now(), 60_000);
    world.timers.fireNext();
    await world.poller.settled();
    const state = world.poller.state;
    assert.ok(state.kind === 'failing' && state.error.kind === 'timeout', JSON.stringify(state));
    assert.match(state.error.message, /did not answer within 60 s/);
    assert.equal(world.timers.pending, 1, 'the next tick, and no timeout left behind');
    const requests = await world.tick();
    assert.equal(requests[0].status, 200);
    assert.equal(world.kind(), 'polling');
    assert.equal(world.emulator.requests.filter((r) => r.route === 'list' && r.status === 200).length, 2, 'the refresh and the retry');
  });

  it('404 on a retrieved batch removes it from the store with one event, and polling goes on', async () => {
    // A batch the API no longer knows (deleted from another machine, say): lists do not return it.
    const gone: MessageBatch = { ...batch, id: 'msgbatch_gone', created_at: new Date(world.timers.now() - 3_600_000).toISOString() };
    world.store.upsert(gone);
    assert.equal(world.store.inFlight().length, 2);
    const first = await world.tick();
    assert.equal(first[0].route, 'list');
    const second = await world.tick();
    assert.equal(second.length, 1);
    assert.equal(second[0].route, 'retrieve');
    assert.equal(second[0].status, 404);
    assert.equal(world.store.get('msgbatch_gone'), undefined);
    assert.equal(world.removed.length, 1);
    assert.equal(world.removed[0].batchId, 'msgbatch_gone');
    assert.equal(world.removed[0].error.kind, 'notFound');
    assert.equal(world.kind(), 'polling', 'a 404 is not a failure of polling');
    for (let i = 0; i < 3; i++) {
      const [r] = await world.tick();
      assert.equal(r.route, 'list');
    }
    assert.equal(world.removed.length, 1, 'reported once');
    assert.deepEqual(world.states, []);
  });
});
