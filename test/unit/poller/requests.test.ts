import { strict as assert } from 'node:assert';
import type { MessageBatch } from '../../../src/api';
import { request, PollWorld } from './world';

describe('Poller requests', () => {
  let world: PollWorld;
  beforeEach(async () => {
    world = await PollWorld.start();
  });
  afterEach(() => world.close());

  for (const count of [1, 50, 500]) {
    it(`makes exactly one request per tick with ${count} batch(es) in flight`, async () => {
      const batches = world.seed(count);
      await world.store.refresh();
      world.startPoller();
      for (let i = 0; i < 4; i++) {
        const requests = await world.tick();
        assert.equal(requests.length, 1, `tick ${i}`);
        assert.equal(requests[0].route, 'list');
        assert.equal(requests[0].query.limit, String(Math.max(20, count + 10)));
      }
      // Every batch ends at once: still one request, and every one of them is seen ending.
      for (const b of batches) world.emulator.finish(b.id);
      const requests = await world.tick();
      assert.equal(requests.length, 1);
      assert.equal(world.store.inFlight().length, 0);
      assert.equal(world.changes.flatMap((c) => c.ended ?? []).length, count);
      assert.equal(world.kind(), 'idle');
      assert.equal(world.timers.pending, 0);
    });
  }

  it('retrieves in-flight batches beyond the list window one per tick, checked longest ago first, every other tick', async () => {
    // 1005 batches: the newest and the three oldest in flight; the oldest are past the 1000 a list can reach.
    const batches = world.seed(1005);
    for (const b of batches.slice(3, -1)) world.emulator.finish(b.id);
    await world.store.refresh();
    await world.store.loadMore();
    assert.equal(world.store.batches.length, 1005);
    const [oldest, second, third] = batches;
    const newest = batches.at(-1)!;
    world.startPoller();

    const seen: string[] = [];
    for (let i = 0; i < 8; i++) {
      const requests = await world.tick();
      assert.equal(requests.length, 1, `tick ${i}`);
      const r = requests[0];
      seen.push(r.route === 'list' ? `list ${r.query.limit}` : r.path.split('/').at(-1)!);
    }
    assert.deepEqual(seen, ['list 20', oldest.id, 'list 20', second.id, 'list 20', third.id, 'list 20', oldest.id]);

    // One of them ends: it is seen on its turn and leaves the rotation.
    world.emulator.finish(second.id);
    const rest: string[] = [];
    for (let i = 0; i < 6; i++) {
      const [r] = await world.tick();
      rest.push(r.route === 'list' ? 'list' : r.path.split('/').at(-1)!);
    }
    assert.deepEqual(rest, ['list', second.id, 'list', third.id, 'list', oldest.id]);
    assert.equal(world.store.get(second.id)?.processing_status, 'ended');
    assert.equal(world.store.get(newest.id)?.processing_status, 'in_progress');
  });

  it('retrieves a batch that a list should have returned but did not (newer batches pushed it down)', async () => {
    const [watched] = world.seed(1, 3_600_000);
    await world.store.refresh();
    // Another tool submits 40 batches the store has not loaded.
    for (const b of world.seed(40)) world.emulator.finish(b.id);
    world.startPoller();
    const first = await world.tick();
    assert.equal(first[0].route, 'list');
    const second = await world.tick();
    assert.equal(second.length, 1);
    assert.equal(second[0].route, 'retrieve');
    assert.equal(second[0].path.split('/').at(-1), watched.id);
    world.emulator.finish(watched.id);
    const third = await world.tick();
    assert.equal(third[0].route, 'retrieve');
    assert.equal(world.store.get(watched.id)?.processing_status, 'ended');
    assert.equal(world.kind(), 'idle');
  });

  it('stops when the last batch ends, leaving no timer, and starts again when a new one is upserted', async () => {
    const [batch] = world.seed(1);
    await world.store.refresh();
    world.startPoller();
    assert.equal(world.kind(), 'polling');
    await world.tick();
    world.emulator.finish(batch.id);
    await world.tick();
    assert.equal(world.kind(), 'idle');
    assert.equal(world.timers.pending, 0);
    assert.deepEqual(world.states.map((s) => s.kind), ['idle']);
    const count = world.apiRequests().length;
    assert.equal(world.timers.fireNext(), false);
    assert.equal(world.apiRequests().length, count, 'no request while idle');

    const fresh = world.emulator.createBatch([request('again')]) as MessageBatch;
    world.store.upsert(fresh);
    assert.equal(world.kind(), 'polling');
    assert.equal(world.timers.pending, 1);
    assert.equal(world.schedules.at(-1)?.reason, 'start');
    assert.equal(world.schedules.at(-1)?.delayMs, 30_000);
    world.emulator.finish(fresh.id);
    const requests = await world.tick();
    assert.equal(requests.length, 1);
    assert.equal(world.store.get(fresh.id)?.processing_status, 'ended');
    assert.equal(world.kind(), 'idle');
  });

  it('does not start without batches in flight, and stops when the store forgets them', async () => {
    const [batch] = world.seed(1);
    world.emulator.finish(batch.id);
    await world.store.refresh();
    world.startPoller();
    assert.equal(world.kind(), 'idle');
    assert.equal(world.timers.pending, 0);
    world.poller.poke();
    assert.equal(world.timers.pending, 0, 'poke with nothing in flight does nothing');

    world.seed(1);
    await world.store.refresh();
    assert.equal(world.timers.pending, 1);
    world.store.reset();
    assert.equal(world.kind(), 'idle');
    assert.equal(world.timers.pending, 0);
  });

  it('dispose() leaves no timer and makes no further request', async () => {
    world.seed(3);
    await world.store.refresh();
    world.startPoller();
    await world.tick();
    world.poller.dispose();
    assert.equal(world.timers.pending, 0);
    world.poller.poke();
    world.poller.setFocused(false);
    world.poller.setFocused(true);
    assert.equal(world.timers.pending, 0);
  });

  it('never turns a canceling batch back to in progress with an answer older than the cancel', async () => {
    const [batch] = world.seed(1);
    await world.store.refresh();
    world.startPoller();
    // The list answer was sent before the user cancelled, and arrives after.
    const stale = world.store.get(batch.id)!;
    world.store.upsert(world.emulator.cancel(batch.id) as MessageBatch);
    const original = world.api.listPage.bind(world.api);
    world.api.listPage = async (options) => ({ ...(await original(options)), batches: [stale] });
    await world.tick();
    assert.equal(world.store.get(batch.id)?.processing_status, 'canceling');
  });
});
