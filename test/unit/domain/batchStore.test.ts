import { strict as assert } from 'node:assert';
import { BatchesApi, createClient } from '../../../src/api';
import { BatchStore, type StoreChange } from '../../../src/domain/batchStore';
import { startEmulator, type Emulator } from '../../emulator';

const request = (id: string) => ({ custom_id: id, params: { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: id }] } });

describe('BatchStore', () => {
  let emulator: Emulator;
  let api: BatchesApi | undefined;
  let store: BatchStore;
  let changes: StoreChange[];
  let pageSize = 3;

  beforeEach(async () => {
    emulator = await startEmulator({ timing: 'manual' });
    api = new BatchesApi(createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, maxRetries: 0 }));
    pageSize = 3;
    store = new BatchStore({ api: async () => api, pageSize: () => pageSize });
    changes = [];
    store.onDidChange((c) => changes.push(c));
  });
  afterEach(async () => {
    await emulator.close();
  });

  const seed = (n: number) => {
    const start = Date.now() - n * 60_000;
    return Array.from({ length: n }, (_, i) => emulator.createBatch([request(`r${i}`)], { createdAt: start + i * 60_000 }));
  };

  it('loads the first page newest first, then more pages, then nothing more', async () => {
    const created = seed(7);
    await store.refresh();
    assert.deepEqual(store.batches.map((b) => b.id), [created[6].id, created[5].id, created[4].id]);
    assert.equal(store.hasMore, true);
    await store.loadMore();
    await store.loadMore();
    assert.equal(store.batches.length, 7);
    assert.equal(store.hasMore, false);
    await store.loadMore();
    assert.equal(emulator.requests.filter((r) => r.route === 'list').length, 3, 'no request once there is nothing more');
  });

  it('refresh reloads everything loaded so far in one request', async () => {
    seed(7);
    await store.refresh();
    await store.loadMore();
    const before = emulator.requests.length;
    await store.refresh();
    assert.equal(store.batches.length, 6);
    assert.equal(emulator.requests.length, before + 1);
    assert.equal(emulator.requests.at(-1)!.query.limit, '6');
  });

  it('a batch looked up on its own, older than the pages loaded, stays through refreshes and Load more, in its place, once', async () => {
    const created = seed(7);
    pageSize = 2;
    await store.refresh();
    // The oldest, in flight: looked up by id (as the watch of a start or an account put in use does).
    store.upsert((await api!.retrieve(created[0].id)));
    await store.refresh();
    assert.deepEqual(store.batches.map((b) => b.id), [created[6].id, created[5].id, created[4].id, created[0].id], 'the batch looked up was dropped by the refresh');
    assert.deepEqual(store.inFlight().map((b) => b.id).at(0), created[0].id);
    await store.loadMore();
    await store.loadMore();
    await store.loadMore();
    assert.deepEqual(store.batches.map((b) => b.id), [...created].reverse().map((b) => b.id), 'Load more put a batch out of its place or twice');
  });

  it('a batch missing from the range a refresh re-lists is gone, and so is an older one when the API has no more pages', async () => {
    const created = seed(4);
    pageSize = 2;
    await store.refresh();
    store.upsert((await api!.retrieve(created[0].id)));
    for (const gone of [created[3], created[1], created[0]]) {
      emulator.finish(gone.id);
      await api!.delete(gone.id);
    }
    await store.refresh();
    // Listed now: created[2] alone, and no more pages: nothing older exists.
    assert.deepEqual(store.batches.map((b) => b.id), [created[2].id]);
  });

  it('shares one request between concurrent refreshes', async () => {
    seed(2);
    await Promise.all([store.refresh(), store.refresh(), store.refresh()]);
    assert.equal(emulator.requests.filter((r) => r.route === 'list').length, 1);
  });

  it('reports batches that ended since the last look', async () => {
    const [a, b] = seed(2);
    await store.refresh();
    emulator.finish(a.id);
    changes = [];
    await store.refresh();
    assert.deepEqual(changes.flatMap((c) => c.ended ?? []).map((x) => x.id), [a.id]);
    assert.equal(store.get(b.id)?.processing_status, 'in_progress');
    assert.deepEqual(store.inFlight().map((x) => x.id), [b.id]);
  });

  it('upsert puts a new batch at its place, replaces a known one, and is quiet when nothing changed', async () => {
    const [a] = seed(2);
    await store.refresh();
    const fresh = emulator.createBatch([request('new')]);
    store.upsert(fresh as never);
    assert.equal(store.batches[0].id, fresh.id);
    changes = [];
    store.upsert(store.get(a.id)!);
    assert.equal(changes.length, 0);
    emulator.finish(a.id);
    store.upsert((await api!.retrieve(a.id)));
    assert.equal(changes.length, 1);
    assert.equal(changes[0].ended?.[0].id, a.id);
  });

  it('upsert and remove say whether the list changed, so a caller needs no listener to know', async () => {
    const [a] = seed(2);
    await store.refresh();
    const known = store.get(a.id)!;
    changes = [];
    assert.equal(store.upsert(known), false, 'the same batch again');
    assert.equal(store.upsert({ ...known, request_counts: { ...known.request_counts, processing: 0, succeeded: 1 } }), true, 'new counts');
    assert.equal(store.upsert(emulator.createBatch([request('new')]) as never), true, 'a batch the store did not have');
    assert.equal(store.remove(a.id), true);
    assert.equal(store.remove(a.id), false, 'already gone');
    assert.equal(changes.length, 3, 'one event per change, none for the no-ops');
  });

  it('dispose() drops every listener: nothing fires after it', async () => {
    seed(1);
    await store.refresh();
    changes = [];
    let late = 0;
    store.onDidChange(() => late++);
    store.dispose();
    store.upsert(emulator.createBatch([request('late')]) as never);
    store.reset();
    assert.equal(late, 0);
  });

  it('keeps what it had and says why when a refresh fails', async () => {
    seed(2);
    await store.refresh();
    emulator.faults.add({ route: 'list', status: 500 });
    await store.refresh();
    assert.equal(store.batches.length, 2);
    assert.equal(store.state.kind, 'error');
    assert.equal(store.state.kind === 'error' && store.state.error.kind, 'server');
  });

  it('no key: says so and lists nothing', async () => {
    api = undefined;
    await store.refresh();
    assert.equal(store.state.kind, 'noKey');
    assert.equal(emulator.requests.length, 0);
  });

  it('reset forgets everything, and a refresh that was under way cannot bring old rows back', async () => {
    seed(2);
    emulator.faults.add({ route: 'list', delayMs: 200 });
    const pending = store.refresh();
    store.reset();
    await pending;
    assert.equal(store.batches.length, 0);
    assert.equal(store.isLoaded, false);
  });
});
